/**
 * The experiments' workers: comlink wrapping, crash detection, termination and a warm pool of
 * "thread" workers reused across runs (created through the core's WorkerFactory: Web Worker in the
 * browser, worker_threads in Node tests and the bench). Process workers are reused too, in a pool of
 * their own: a "process" is a fresh interpreter (a new Interp, its own GIL, inputs copied in) on
 * every run, but the JS worker under it, once started and its JIT warm, serves the next run. What
 * CPython pays to start its processes is modelled inside each run's wall time (executors.ts); the
 * browser's creation of a worker is not a CPython cost and stays outside it. Starting and warming
 * every worker on every run made each process run wait half a second or more before its lanes
 * moved, and left a fresh worker's speed to how much CPU its warm-up happened to get.
 */
import {
  WarmPool,
  WorkerShell,
  webWorkerHandle,
  type WorkerFactory,
} from '../core/worker-shell.ts';
import type { ThreadApi } from './thread.api.ts';

/** The browser default: a module Web Worker that Vite/Astro bundle. */
export const browserWorkerFactory: WorkerFactory = (name) =>
  // The URL must stay literal here: Vite finds and bundles workers by this exact pattern.
  webWorkerHandle(
    new Worker(new URL('./thread.worker.ts', import.meta.url), { type: 'module', name }),
  );

/** A worker died while it had work: rejected instead of leaving the caller hanging. */
export class WorkerCrashedError extends Error {
  /** What the worker was running as, as the timeline labels it: e.g. "Thread-2", "Process-1". */
  readonly worker: string;
  constructor(worker: string, cause: Error) {
    super(`${worker} crashed: ${cause.message}`, { cause });
    this.name = 'WorkerCrashedError';
    this.worker = worker;
  }
}

/**
 * The runtime was disposed while this call was in flight (or before it started). Named AbortError,
 * like a cancelled run: the work was stopped on purpose, not by a failure.
 */
export class RuntimeDisposedError extends Error {
  constructor() {
    super('The run was stopped because the runtime was disposed');
    this.name = 'AbortError';
  }
}

/** One live experiment worker ("thread" or "process") and its comlink proxy. */
export class WorkerSlot extends WorkerShell<ThreadApi> {
  /**
   * What the worker is running as right now, as the timeline labels its lane ("Thread-2"); errors
   * name it. Executors set it when they hand the worker a lane; until then a neutral description.
   */
  label: string;
  /** Measured start-up: from creation until the worker answered, ms. */
  startupMs = 0;

  constructor(factory: WorkerFactory, name: string) {
    // The label is read when the crash happens: the lane the worker had by then.
    super(factory, name, (cause) => new WorkerCrashedError(this.label, cause));
    this.label = `A ${name.replace(/#\d+$/, '')} worker`;
  }
}

/** Creates workers and keeps idle thread and process workers warm between runs (core WarmPools). */
export class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #warm = new WarmPool<WorkerSlot>();
  readonly #warmProcesses = new WarmPool<WorkerSlot>();
  #count = 0;
  #disposed = false;

  constructor(factory: WorkerFactory) {
    this.#factory = factory;
  }

  /** Workers alive right now (idle or leased). */
  get live(): number {
    return this.#warm.live + this.#warmProcesses.live;
  }

  /** Starts a new worker and waits until it answers; its start-up time is measured. */
  async spawn(label: 'thread' | 'process', now: () => number): Promise<WorkerSlot> {
    if (this.#disposed) throw new RuntimeDisposedError();
    const warm = label === 'process' ? this.#warmProcesses : this.#warm;
    const t0 = now();
    const slot = new WorkerSlot(this.#factory, `${label}#${++this.#count}`);
    warm.add(slot);
    try {
      await slot.guard(slot.api.ping());
    } catch (e) {
      await warm.discard(slot);
      throw e;
    }
    slot.startupMs = now() - t0;
    return slot;
  }

  /** `n` thread workers: warm ones first, new ones for the rest. */
  lease(n: number, now: () => number): Promise<WorkerSlot[]> {
    return this.#lease('thread', n, now);
  }

  /**
   * `n` process workers: idle ones first (they keep the start-up measured when they were created),
   * new ones for the rest. All or none: if one fails to start, the others are terminated.
   */
  leaseProcesses(n: number, now: () => number): Promise<WorkerSlot[]> {
    return this.#lease('process', n, now);
  }

  async #lease(kind: 'thread' | 'process', n: number, now: () => number): Promise<WorkerSlot[]> {
    const warm = kind === 'process' ? this.#warmProcesses : this.#warm;
    const out: WorkerSlot[] = [];
    for (let s; out.length < n && (s = warm.takeWarm()) !== null;) out.push(s);
    const fresh = await Promise.allSettled(
      Array.from({ length: n - out.length }, () => this.spawn(kind, now)),
    );
    for (const r of fresh) if (r.status === 'fulfilled') out.push(r.value);
    const failure = fresh.find((r) => r.status === 'rejected');
    if (failure) {
      // Threads stay warm for the next run; a process pool's processes end together.
      if (kind === 'thread') out.forEach((s) => this.giveBack(s));
      else await Promise.all(out.map((s) => this.discard(s)));
      throw failure.reason;
    }
    return out;
  }

  /** Returns a clean process worker to its warm pool (dead ones are dropped). */
  giveBackProcess(slot: WorkerSlot): void {
    this.#warmProcesses.giveBack(slot);
  }

  /** Returns a clean thread worker to the warm pool (dead ones are dropped). */
  giveBack(slot: WorkerSlot): void {
    this.#warm.giveBack(slot);
  }

  /** Terminates one worker and forgets it. */
  async discard(slot: WorkerSlot): Promise<void> {
    await Promise.all([this.#warm.discard(slot), this.#warmProcesses.discard(slot)]);
  }

  /**
   * Terminates every worker, idle or busy, for good: calls in flight reject with a
   * RuntimeDisposedError (so every run's result settles), and no worker is started afterwards.
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all([
      this.#warm.dispose(() => new RuntimeDisposedError()),
      this.#warmProcesses.dispose(() => new RuntimeDisposedError()),
    ]);
  }
}
