/**
 * The experiments' workers: comlink wrapping, crash detection, termination and a warm pool of
 * "thread" workers reused across runs (created through the core's WorkerFactory: Web Worker in the
 * browser, worker_threads in Node tests and the bench). Process workers are reused too, in a pool of
 * their own: a "process" is a fresh interpreter (a new Interp, its own GIL, inputs copied in) on
 * every run, but the JS worker under it, once started and its JIT warm, serves the next run, whose
 * wall time is still charged that worker's measured start-up. Starting and warming every worker on
 * every run made each process run wait half a second or more before its lanes moved, and left a
 * fresh worker's speed to how much CPU its warm-up happened to get.
 */
import { wrap, type Remote } from 'comlink';
import { webWorkerHandle, type WorkerFactory, type WorkerHandle } from '../core/worker-shell.ts';
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

/** One live worker and its comlink proxy. */
export class WorkerSlot {
  /** Internal, unique name ("thread#3"): the factory names the worker with it. */
  readonly name: string;
  /**
   * What the worker is running as right now, as the timeline labels its lane ("Thread-2"); errors
   * name it. Executors set it when they hand the worker a lane; until then a neutral description.
   */
  label: string;
  readonly api: Remote<ThreadApi>;
  /** Measured start-up: from creation until the worker answered, ms. */
  startupMs = 0;
  readonly #handle: WorkerHandle;
  readonly #failed: Promise<never>;
  #alive = true;
  #crash: Error | null = null;
  #reject!: (e: Error) => void;

  constructor(factory: WorkerFactory, name: string) {
    this.name = name;
    this.label = `A ${name.replace(/#\d+$/, '')} worker`;
    this.#handle = factory(name);
    this.api = wrap<ThreadApi>(this.#handle.endpoint);
    this.#failed = new Promise<never>((_, reject) => (this.#reject = reject));
    this.#handle.onFailure((error) => {
      if (!this.#alive) return;
      this.#alive = false;
      this.#crash = new WorkerCrashedError(this.label, error);
      this.#reject(this.#crash);
      void this.#handle.terminate();
    });
    this.#failed.catch(() => undefined);
  }

  /** False once terminated or crashed. */
  get alive(): boolean {
    return this.#alive;
  }

  /** Awaits `p` (a call on this worker), rejecting at once if the worker crashes meanwhile. */
  guard<T>(p: Promise<T>): Promise<T> {
    if (this.#crash) return Promise.reject(this.#crash);
    return Promise.race([p, this.#failed]);
  }

  /**
   * Stops the worker for good; resolves when the factory says it has exited. Calls still in flight
   * (and later ones through guard()) reject with `reason`: a terminated worker never answers.
   */
  async terminate(reason: Error = new Error(`Worker ${this.name} was terminated`)): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    this.#crash = reason;
    this.#reject(reason);
    await this.#handle.terminate();
  }
}

/** Creates workers and keeps idle thread workers warm between runs. */
export class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #idle: WorkerSlot[] = [];
  readonly #idleProcesses: WorkerSlot[] = [];
  readonly #all = new Set<WorkerSlot>();
  #count = 0;
  #disposed = false;

  constructor(factory: WorkerFactory) {
    this.#factory = factory;
  }

  /** Workers alive right now (idle or leased). */
  get live(): number {
    let n = 0;
    for (const s of this.#all) if (s.alive) n++;
    return n;
  }

  /** Starts a new worker and waits until it answers; its start-up time is measured. */
  async spawn(label: string, now: () => number): Promise<WorkerSlot> {
    if (this.#disposed) throw new RuntimeDisposedError();
    const t0 = now();
    const slot = new WorkerSlot(this.#factory, `${label}#${++this.#count}`);
    this.#all.add(slot);
    try {
      await slot.guard(slot.api.ping());
    } catch (e) {
      this.#all.delete(slot);
      await slot.terminate();
      throw e;
    }
    slot.startupMs = now() - t0;
    return slot;
  }

  /** `n` thread workers: warm ones first, new ones for the rest. */
  async lease(n: number, now: () => number): Promise<WorkerSlot[]> {
    const out: WorkerSlot[] = [];
    while (out.length < n && this.#idle.length > 0) {
      const s = this.#idle.pop()!;
      if (s.alive) out.push(s);
    }
    const fresh = await Promise.allSettled(
      Array.from({ length: n - out.length }, () => this.spawn('thread', now)),
    );
    for (const r of fresh) if (r.status === 'fulfilled') out.push(r.value);
    const failure = fresh.find((r) => r.status === 'rejected');
    if (failure) {
      out.forEach((s) => this.giveBack(s));
      throw failure.reason;
    }
    return out;
  }

  /**
   * `n` process workers: idle ones first (they keep the start-up measured when they were created),
   * new ones for the rest. All or none: if one fails to start, the others are terminated.
   */
  async leaseProcesses(n: number, now: () => number): Promise<WorkerSlot[]> {
    const out: WorkerSlot[] = [];
    while (out.length < n && this.#idleProcesses.length > 0) {
      const s = this.#idleProcesses.pop()!;
      if (s.alive) out.push(s);
    }
    const fresh = await Promise.allSettled(
      Array.from({ length: n - out.length }, () => this.spawn('process', now)),
    );
    for (const r of fresh) if (r.status === 'fulfilled') out.push(r.value);
    const failure = fresh.find((r) => r.status === 'rejected');
    if (failure) {
      await Promise.all(out.map((s) => this.discard(s)));
      throw failure.reason;
    }
    return out;
  }

  /** Returns a clean process worker to its warm pool (dead ones are dropped). */
  giveBackProcess(slot: WorkerSlot): void {
    if (slot.alive) this.#idleProcesses.push(slot);
    else this.#all.delete(slot);
  }

  /** Returns a clean thread worker to the warm pool (dead ones are dropped). */
  giveBack(slot: WorkerSlot): void {
    if (slot.alive) this.#idle.push(slot);
    else this.#all.delete(slot);
  }

  /** Terminates one worker and forgets it. */
  async discard(slot: WorkerSlot): Promise<void> {
    this.#all.delete(slot);
    await slot.terminate();
  }

  /**
   * Terminates every worker, idle or busy, for good: calls in flight reject with a
   * RuntimeDisposedError (so every run's result settles), and no worker is started afterwards.
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    this.#idleProcesses.length = 0;
    await Promise.all(all.map((s) => s.terminate(new RuntimeDisposedError())));
  }
}
