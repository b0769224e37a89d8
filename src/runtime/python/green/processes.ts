/**
 * Process pools of a one-interpreter run (process_pool.py is the Python side). Each process is
 * another green worker (`greenApi.serve`), with its own interpreter and its own GIL, reached over
 * a MessagePort: the page leases the workers before the program starts (their start-up is never
 * inside the program's timed section; CPython's fork or forkserver has almost none) and hands
 * this worker one port per process.
 *
 * A pool's manager thread (a green thread) sends pickled tasks a few at a time per process,
 * takes the results, and waits without the GIL while the processes compute. A process that
 * posts a result bumps PROCESS_DONE in this run's control words: the ticker then raises the drop
 * request, so the result is taken in one switch interval even while another thread computes,
 * as CPython's manager thread wakes and asks for the GIL.
 */
import { PROCESS_AT, PROCESS_DONE, changed, type GreenControl } from './control.ts';

/** What the parent sends a process. */
export type ToProcess =
  /** Serve a pool: import the program, run the initializer (a pickle of (fn, args)). */
  | { kind: 'start'; label: string; init: Uint8Array | null }
  /**
   * `count` tasks in one pickle (a list of (work id, pickle of (fn, args, kwargs)): each task is
   * pickled alone, so that one that cannot be fails alone), in the order sent.
   */
  | { kind: 'tasks'; blob: Uint8Array; count: number }
  /** The pool is done with this process: end it (its interpreter is reset for the next pool). */
  | { kind: 'end' }
  /** The run is over. */
  | { kind: 'close' };

/** What a process answers. */
export type FromProcess =
  /**
   * `count` tasks' results in one pickle (a list of (work id, ok, pickle of the value or
   * green_thread.py's error pickle)), which took `ms` there in all; `at`: when the first was
   * ready (absolute ms).
   */
  | { kind: 'results'; blob: Uint8Array; count: number; ms: number; at: number }
  /** It ended after `end` and can serve another pool. */
  | { kind: 'ended' }
  /** It died or could not serve (os._exit, an import error, a failing initializer). */
  | { kind: 'broken'; reason: string };

/**
 * Tasks sent to a process and not answered: about this many ms of its work (one switch
 * interval: it keeps computing while the manager thread waits for the GIL to send more), at
 * least 1 (a long task: the next waits in the pool, where any free process can take it, as in
 * CPython's shared call queue), at most MAX_WINDOW.
 */
const WINDOW_MS = 5;
const MAX_WINDOW = 256;

interface Slot {
  port: MessagePort;
  pool: Pool | null;
  state: 'free' | 'serving' | 'ending' | 'dead';
  inFlight: number;
}

interface Pool {
  id: number;
  want: number;
  slots: Slot[];
  /** Results' pickles (ProcessPools.take). */
  results: Uint8Array[];
  broken: boolean;
  closed: boolean;
  init: Uint8Array | null;
  waiter: { tid: number; token: number } | null;
  /** Mean time of a task in its processes, ms (null: none measured yet). */
  avgMs: number | null;
}

/** What the pools need of the run's scheduler. */
export interface ProcessHost {
  wake(tid: number, token: number, since?: number): void;
  kick(): void;
}

export class ProcessPools {
  readonly #slots: Slot[];
  readonly #pools = new Map<number, Pool>();
  readonly #c: GreenControl;
  readonly #host: ProcessHost;
  #labels = 0;

  constructor(ports: MessagePort[], control: GreenControl, host: ProcessHost) {
    this.#c = control;
    this.#host = host;
    this.#slots = ports.map((port) => {
      const slot: Slot = { port, pool: null, state: 'free', inFlight: 0 };
      port.onmessage = (e: MessageEvent<FromProcess>) => this.#reply(slot, e.data);
      return slot;
    });
  }

  /** Processes compute, or end, and will answer: nothing waits for nothing (no deadlock). */
  get busy(): boolean {
    return this.#slots.some((s) => s.inFlight > 0 || s.state === 'ending');
  }

  /** A pool starts: it gets up to `want` processes now, more as others end. False: none exist. */
  open(id: number, want: number, init: Uint8Array | null): boolean {
    if (this.#slots.length === 0) return false;
    this.#pools.set(id, {
      id,
      want,
      slots: [],
      results: [],
      broken: false,
      closed: false,
      init,
      waiter: null,
      avgMs: null,
    });
    this.#assign();
    return true;
  }

  #window(pool: Pool): number {
    return pool.avgMs === null
      ? 2
      : Math.max(1, Math.min(MAX_WINDOW, Math.floor(WINDOW_MS / Math.max(pool.avgMs, 1e-3))));
  }

  /** The pool's least busy process that can take a task now, or null. */
  #next(pool: Pool): Slot | null {
    let best: Slot | null = null;
    for (const s of pool.slots)
      if (s.state === 'serving' && (best === null || s.inFlight < best.inFlight)) best = s;
    return best !== null && best.inFlight < this.#window(pool) ? best : null;
  }

  /** Tasks the pool's least busy process may get now (send() sends them there). */
  room(id: number): number {
    const pool = this.#pools.get(id);
    if (pool === undefined || pool.broken) return 0;
    const next = this.#next(pool);
    return next === null ? 0 : this.#window(pool) - next.inFlight;
  }

  /** Posts `count` tasks (one pickle) to the pool's least busy process. */
  send(id: number, count: number, blob: Uint8Array): void {
    const pool = this.#pools.get(id);
    if (pool === undefined) return;
    const slot = this.#next(pool);
    if (slot === null) return;
    slot.inFlight += count;
    slot.port.postMessage({ kind: 'tasks', blob, count } satisfies ToProcess, [
      blob.buffer as ArrayBuffer,
    ]);
  }

  /** The results' pickles that arrived since the last take. */
  take(id: number): Uint8Array[] {
    const pool = this.#pools.get(id);
    if (pool === undefined || pool.results.length === 0) return [];
    const results = pool.results;
    pool.results = [];
    return results;
  }

  broken(id: number): boolean {
    return this.#pools.get(id)?.broken ?? false;
  }

  /**
   * The pool's manager thread is about to wait (token): woken by a result, a process, a break,
   * or at once if one came since it last looked.
   */
  wait(id: number, tid: number, token: number): void {
    const pool = this.#pools.get(id);
    if (pool === undefined) return;
    pool.waiter = { tid, token };
    if (pool.results.length > 0 || pool.broken) this.#wake(pool);
  }

  /** The pool is shut down (or broken): its processes end, and serve other pools afterwards. */
  close(id: number): void {
    const pool = this.#pools.get(id);
    if (pool === undefined) return;
    pool.closed = true;
    pool.waiter = null;
    for (const s of pool.slots) {
      if (s.state !== 'serving') continue;
      s.state = 'ending';
      s.port.postMessage({ kind: 'end' } satisfies ToProcess);
    }
    this.#pools.delete(id);
  }

  /** The run is over: every process ends what it serves and leaves. */
  end(): void {
    for (const s of this.#slots) {
      if (s.state === 'dead') continue;
      s.port.postMessage({ kind: 'close' } satisfies ToProcess);
      s.port.onmessage = null;
    }
  }

  #wake(pool: Pool, since?: number): void {
    const w = pool.waiter;
    if (w === null) return;
    pool.waiter = null;
    this.#host.wake(w.tid, w.token, since);
    this.#host.kick();
  }

  /** Free processes go to open pools that want more, in the order the pools opened. */
  #assign(): void {
    for (const pool of this.#pools.values()) {
      if (pool.closed || pool.broken) continue;
      let woke = false;
      while (pool.slots.length < pool.want) {
        const slot = this.#slots.find((s) => s.state === 'free');
        if (slot === undefined) break;
        slot.state = 'serving';
        slot.pool = pool;
        slot.inFlight = 0;
        pool.slots.push(slot);
        const init = pool.init === null ? null : pool.init.slice();
        slot.port.postMessage({
          kind: 'start',
          label: `Process-${++this.#labels}`,
          init,
        } satisfies ToProcess);
        woke = true;
      }
      if (woke) this.#wake(pool);
    }
  }

  #reply(slot: Slot, m: FromProcess): void {
    const pool = slot.pool;
    if (m.kind === 'results') {
      if (Atomics.sub(this.#c.words, PROCESS_DONE, 1) <= 0)
        Atomics.store(this.#c.words, PROCESS_DONE, 0);
      changed(this.#c);
      slot.inFlight = Math.max(0, slot.inFlight - m.count);
      if (pool === null) return;
      const each = m.ms / Math.max(1, m.count);
      pool.avgMs = pool.avgMs === null ? each : pool.avgMs * 0.7 + each * 0.3;
      pool.results.push(m.blob);
      this.#wake(pool, m.at);
      this.#host.kick();
    } else if (m.kind === 'ended') {
      slot.state = 'free';
      slot.inFlight = 0;
      if (pool !== null) pool.slots.splice(pool.slots.indexOf(slot), 1);
      slot.pool = null;
      this.#assign();
      this.#host.kick();
    } else {
      slot.state = 'dead';
      slot.inFlight = 0;
      slot.pool = null;
      if (pool !== null) {
        pool.slots.splice(pool.slots.indexOf(slot), 1);
        pool.broken = true;
        this.#wake(pool);
      }
      this.#host.kick();
    }
  }
}

/**
 * The process side: posts `count` results (one pickle), saying so first (PROCESS_DONE in the
 * parent's control words, which its ticker watches).
 */
export function postResults(
  port: MessagePort,
  parent: GreenControl,
  blob: Uint8Array,
  count: number,
  ms: number,
  at: number,
): void {
  if (Atomics.add(parent.words, PROCESS_DONE, 1) === 0) parent.times[PROCESS_AT] = at;
  changed(parent);
  port.postMessage({ kind: 'results', blob, count, ms, at } satisfies FromProcess, [
    blob.buffer as ArrayBuffer,
  ]);
}
