/**
 * Worker side: the JavaScript module the shim imports as `_gil_lab_js`. It is the interpreter's
 * half of the shared GIL (the signal handler's forced switch, releasing the lock around sleeps,
 * C calls and lock waits) and of the coordinator protocol (posting requests, sleeping on the
 * mailbox). Functions return -1 when the run was stopped, and the shim raises KeyboardInterrupt.
 */
import { CANCEL, CancelledError } from '../core/control.ts';
import { INTERVAL_US, setSwitchInterval } from '../core/gil.ts';
import { lockBase } from '../core/control.ts';
import { Interp } from '../core/interp.ts';
import { STATE } from '../core/timeline.ts';
import { SharedLocks } from './locks.ts';
import { mailboxWord, takeDelivery, type Delivery } from './mailbox.ts';
import { FUTURE, NEXT_ID, SIGINT, SIGUSR1, type PythonMemory } from './memory.ts';
import type { InterpreterRequest, InterpreterSetup } from './protocol.ts';

const STOPPED = -1;

/** One interpreter's membership in one run. */
export class RunBridge {
  readonly setup: InterpreterSetup;
  readonly interp: Interp;
  readonly #memory: PythonMemory;
  readonly #locks: SharedLocks;
  readonly #post: (request: InterpreterRequest) => void;
  readonly #flushOutput: () => void;
  #token = 0;

  /**
   * `post` sends a request (after any output held back); `flushOutput` posts the output the
   * worker holds back, before this interpreter blocks or hands the GIL over.
   */
  constructor(
    setup: InterpreterSetup,
    post: (request: InterpreterRequest) => void,
    flushOutput: () => void = () => undefined,
  ) {
    this.setup = setup;
    this.#memory = setup.memory;
    this.#post = post;
    this.#flushOutput = flushOutput;
    this.interp = new Interp({
      ...setup.thread,
      dropSignal: { words: setup.memory.signals, stride: 16, signal: SIGUSR1 },
    });
    this.#locks = new SharedLocks(setup.memory.locks, () => this.cancelled);
  }

  get cancelled(): boolean {
    return Atomics.load(this.#memory.control, CANCEL) !== 0;
  }

  /** Runs `wait` with the GIL released (recording `state`) if this interpreter holds it. */
  #withoutGil<T>(state: number, wait: () => T): T | typeof STOPPED {
    // Nothing written before a wait may sit in the buffer while this interpreter waits.
    this.#flushOutput();
    const held = this.interp.holding;
    if (held) this.interp.releaseFor(state);
    const out = wait();
    if (held) {
      try {
        this.interp.retake();
      } catch (e) {
        if (e instanceof CancelledError) return STOPPED;
        throw e;
      }
    }
    return this.cancelled ? STOPPED : out;
  }

  /** The module Python sees. Arrow functions: Pyodide calls them without `this`. */
  readonly module = {
    /** SIGUSR1 handler: another interpreter waited a whole switch interval; hand the GIL over. */
    switch_now: (): number => {
      // Output first: the next holder may run for a long time without this worker's JS running.
      this.#flushOutput();
      try {
        this.interp.tick();
        return 0;
      } catch (e) {
        if (e instanceof CancelledError) return STOPPED;
        throw e;
      }
    },
    /** SIGUSR2 handler: the coordinator saw output held back (OUTPUT_PENDING); post it. */
    flush_output: (): void => this.#flushOutput(),
    /** True once the reader pressed Stop (or the run ended its daemon threads). */
    stopped: (): boolean => this.cancelled,
    /**
     * Stop both raises SIGINT and makes blocking calls return -1. When the shim raises
     * KeyboardInterrupt for such a -1, the SIGINT still pending would raise a second one a few
     * bytecodes later (in the `with` block's exit, say): one Stop, one KeyboardInterrupt.
     */
    consume_interrupt: (): void => {
      Atomics.compareExchange(this.#memory.signals, this.setup.lane * 16, SIGINT, 0);
    },
    sleep: (ms: number): number =>
      this.#withoutGil(STATE.io, () => {
        Atomics.wait(this.#memory.control, CANCEL, 0, Math.max(0, ms));
        return 0;
      }),
    /** Py_BEGIN_ALLOW_THREADS before a long C call (state: 'native'). */
    release_native: (): void => {
      this.#flushOutput();
      if (this.interp.holding) this.interp.releaseFor(STATE.native);
    },
    /** Py_END_ALLOW_THREADS. */
    retake: (): number => this.#withoutGil(STATE.running, () => 0),
    get_switch_interval: (): number =>
      Atomics.load(this.#memory.control, lockBase(this.setup.space) + INTERVAL_US) / 1000,
    set_switch_interval: (ms: number): void =>
      setSwitchInterval(this.#memory.control, lockBase(this.setup.space), ms),
    lock_key: (): number => this.#locks.freshKey(),
    lock_slot: (key: number): number => this.#locks.slot(key),
    /** 1 acquired, 0 not (non-blocking or timed out), -1 stopped. */
    lock_acquire: (base: number, blocking: boolean, timeoutMs: number): number => {
      const me = this.setup.lane + 1;
      if (this.#locks.tryAcquire(base, me)) return 1;
      if (!blocking) return 0;
      const outcome = this.#withoutGil(STATE.blocked, () =>
        this.#locks.acquireBlocking(base, me, timeoutMs),
      );
      if (outcome === STOPPED || outcome === 'cancelled') return STOPPED;
      return outcome === 'acquired' ? 1 : 0;
    },
    lock_release: (base: number): boolean => this.#locks.release(base),
    lock_owner: (base: number): number => this.#locks.owner(base),
    lock_locked: (base: number): boolean => this.#locks.locked(base),
    next_id: (): number => Atomics.add(this.#memory.futures, NEXT_ID, 1),
    future_state: (fid: number): number => Atomics.load(this.#memory.futures, fid),
    /** Cancels a future that has not started; true if it is (now) cancelled. */
    future_cancel: (fid: number): boolean => {
      const f = this.#memory.futures;
      const seen = Atomics.compareExchange(f, fid, FUTURE.pending, FUTURE.cancelled);
      return seen === FUTURE.pending || seen === FUTURE.cancelled;
    },
    /** Posts a request; `json` holds its fields, `payload` (a Uint8Array) travels beside it. */
    post: (json: string, payload?: Uint8Array): void => {
      const fields = JSON.parse(json) as Record<string, unknown>;
      const request = { ...fields, lane: this.setup.lane } as InterpreterRequest;
      if (payload !== undefined && 'payload' in request) request.payload = payload;
      if (payload !== undefined && request.kind === 'executor') request.initializer = payload;
      this.#post(request);
    },
    /**
     * Sleeps (GIL released, state "blocked") until the coordinator delivers a completion of one of
     * `fidsJson`, or `timeoutMs` (< 0: no limit) passes. Returns the delivery, undefined on
     * timeout (Python sees None; a JS null would reach it as `jsnull`, which is not None), -1
     * when stopped. A delivery already waiting in the mailbox is returned at once.
     */
    await_any: (fidsJson: string, timeoutMs: number): Delivery | undefined | number => {
      const box = this.setup.mailbox;
      const ready = takeDelivery(box);
      if (ready !== null) return ready;
      const token = ++this.#token;
      const fids = JSON.parse(fidsJson) as number[];
      this.#post({ kind: 'await', lane: this.setup.lane, token, fids });
      const { words, index } = mailboxWord(box);
      const deadline = timeoutMs < 0 ? Infinity : performance.now() + timeoutMs;
      let got: Delivery | null = null;
      const r = this.#withoutGil(STATE.blocked, () => {
        for (;;) {
          got = takeDelivery(box);
          if (got !== null || this.cancelled) return 0;
          const left = deadline - performance.now();
          if (left <= 0) return 0;
          Atomics.wait(words, index, 0, Math.min(left, 100));
        }
      });
      if (got === null) this.#post({ kind: 'unawait', lane: this.setup.lane, token });
      if (r === STOPPED) return STOPPED;
      return got ?? undefined;
    },
  };
}
