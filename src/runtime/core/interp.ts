/**
 * One "Python thread" inside a worker: the GIL handle, the timeline lane and the eval breaker.
 * Workloads see only this object; every lock action records the state change on the right side
 * of it (leave "running" before releasing, enter "running" after taking) so the recorded timeline
 * can prove mutual exclusion.
 */
import type { WorkloadConfig } from '../../schemas/run-config.ts';
import { CANCEL, CancelledError, COUNTER, SEQ, UserLock, lockBase } from './control.ts';
import { Gil } from './gil.ts';
import { STATE, TimelineWriter, clockFor, type TimelineDescriptor } from './timeline.ts';

/** What a worker needs to join a run (structured-clone friendly: the buffers stay shared). */
export interface ThreadSetup {
  /** The run's control block (cancel flag, counter, locks). */
  control: Int32Array;
  timeline: TimelineDescriptor;
  /** This thread's lane in the timeline. */
  lane: number;
  /** GIL region index, or null when free-threaded. */
  lock: number | null;
  /** Input bytes shared by all threads (threads share memory), or null. */
  data: Uint8Array | null;
  /** When the main thread created this worker (its lane is `starting` from there), or null. */
  createdAt: number | null;
  /** Workload to warm the JIT up on before the first task (once per worker), for at least minMs; or null. */
  warmup: { workload: WorkloadConfig; minMs: number } | null;
  /**
   * Optional: interrupt words (one per lane, `stride` words apart) where a waiter whose switch
   * interval ran out raises `signal` in the holder, for interpreters whose eval breaker polls
   * those words (Pyodide's interrupt buffer) instead of calling tick().
   */
  dropSignal?: { words: Int32Array; stride: number; signal: number };
  /** Bench only: false records nothing (to time recording's cost); absent or true records. */
  recordTimeline?: boolean;
}

/** Stands in for the lane's writer when recording is off (bench only). */
const NO_RECORDING: Pick<TimelineWriter, 'record'> = { record: () => undefined };

/** The interpreter services a workload may use. */
export class Interp {
  /** Current time on the run's clock, ms. */
  readonly now: () => number;
  /** The control block; the race workload's counter lives at `COUNTER`. */
  readonly control: Int32Array;
  readonly gil: Gil | null;
  readonly #tl: Pick<TimelineWriter, 'record'>;
  readonly #lock: UserLock;
  #task = -1;
  #holding = false;

  constructor(setup: ThreadSetup) {
    const c = setup.control;
    this.control = c;
    this.now = clockFor(setup.timeline.epoch);
    const check = (): void => this.checkCancel();
    const ds = setup.dropSignal;
    const raise = ds
      ? (owner: number): void =>
          void Atomics.compareExchange(ds.words, (owner - 1) * ds.stride, 0, ds.signal)
      : undefined;
    this.gil =
      setup.lock === null
        ? null
        : new Gil(c, lockBase(setup.lock), setup.lane + 1, this.now, check, raise);
    this.#tl =
      setup.recordTimeline === false
        ? NO_RECORDING
        : new TimelineWriter(setup.timeline, setup.lane, this.now, () => Atomics.add(c, SEQ, 1));
    this.#lock = new UserLock(c, check);
  }

  /** Records a state change (workers use it for start-up and `done`). */
  record(state: number, at?: number): void {
    this.#tl.record(state, this.#task, at);
  }

  /** Throws CancelledError once the run has been cancelled. */
  checkCancel(): void {
    if (Atomics.load(this.control, CANCEL) !== 0) throw new CancelledError();
  }

  /** The eval breaker, checked at loop back-edges: honour a drop request, notice cancellation. */
  tick(): void {
    if (Atomics.load(this.control, CANCEL) !== 0) throw new CancelledError();
    if (this.#holding && this.gil !== null && this.gil.dropRequested()) {
      this.#release(STATE.waiting);
      this.#acquire();
    }
  }

  /** A Python-level function call: like CPython, entering it is an eval-breaker point. */
  call<T>(fn: () => T): T {
    this.tick();
    return fn();
  }

  /** Blocking I/O: release the GIL, really sleep `ms` (woken early only by cancel), retake it. */
  blockingIo(ms: number): void {
    this.#release(STATE.io);
    Atomics.wait(this.control, CANCEL, 0, ms);
    this.checkCancel();
    this.#acquire();
  }

  /** A C-extension call: compute `fn` with the GIL released (Py_BEGIN_ALLOW_THREADS), then retake. */
  native<T>(fn: () => T): T {
    this.#release(STATE.native);
    const out = fn();
    this.#acquire();
    return out;
  }

  /** True while this thread holds its GIL (always true between beginTask and endTask when free-threaded). */
  get holding(): boolean {
    return this.#holding;
  }

  /** Leaves "running" for `state` (io, native, blocked …) and lets the GIL go; pair with retake(). */
  releaseFor(state: number): void {
    if (this.#holding) this.#release(state);
  }

  /** Takes the GIL back after releaseFor() (waiting for it if needed) and records "running". */
  retake(): void {
    if (!this.#holding) this.#acquire();
  }

  /** threading.Lock.acquire(): a contended acquire sleeps with the GIL released. */
  lockAcquire(): void {
    if (this.#lock.tryAcquire()) return;
    this.#release(STATE.blocked);
    this.#lock.acquireBlocking();
    this.#acquire();
  }

  /** threading.Lock.release(). */
  lockRelease(): void {
    this.#lock.release();
  }

  /** Non-atomic read of the shared counter (one half of `counter += 1`). */
  readCounter(): number {
    return Atomics.load(this.control, COUNTER);
  }

  /** Non-atomic write of the shared counter (the other half). */
  writeCounter(value: number): void {
    Atomics.store(this.control, COUNTER, value);
  }

  /** Starts task `index`: take the GIL like a pool thread picking up work. */
  beginTask(index: number): void {
    this.#task = index;
    this.#acquire();
  }

  /** Ends the current task: go idle and let the GIL go (even after an error or cancel). */
  endTask(): void {
    if (this.#holding) this.#release(STATE.idle, false);
    else this.#tl.record(STATE.idle, -1);
    this.#task = -1;
  }

  #acquire(): void {
    if (this.gil !== null && !this.gil.tryTake()) {
      this.#tl.record(STATE.waiting, this.#task);
      this.gil.take();
    }
    this.#holding = true;
    this.#tl.record(STATE.running, this.#task);
  }

  #release(next: number, allowForced = true): void {
    this.#tl.record(next, next === STATE.idle ? -1 : this.#task);
    this.#holding = false;
    if (this.gil !== null) this.gil.drop(allowForced && Atomics.load(this.control, CANCEL) === 0);
  }
}
