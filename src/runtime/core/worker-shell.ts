/**
 * The shell every engine's workers share: a started worker as a factory hands it over (Web Worker
 * in the browser, worker_threads in Node: src/runtime/node/), the browser's wrapping of one, a
 * worker's life (calls that reject when it dies) and the warm pool both engines keep.
 */
import { wrap, type Endpoint, type Remote } from 'comlink';

/** A started worker as the factory hands it over. */
export interface WorkerHandle {
  /** Where comlink talks to the worker. */
  endpoint: Endpoint;
  /** Stops the worker; may resolve once it has really exited. */
  terminate(): void | Promise<unknown>;
  /** Registers a callback for a crash: failed load, uncaught error or unexpected exit. */
  onFailure(listener: (error: Error) => void): void;
}

/** Creates one worker running an engine's worker entry (`thread.worker.ts`, `python.worker.ts`). */
export type WorkerFactory = (name: string) => WorkerHandle;

/**
 * Wraps a Web Worker as a WorkerHandle: load errors and undecodable messages become failures.
 *
 * terminate() also removes the failure listeners. They reach the worker's owner (and through it the
 * comlink proxy), and comlink keeps every Worker strongly in a FinalizationRegistry until its proxy
 * is collected: a listener from the Worker back to the proxy made that a cycle the collector
 * cannot break, so every terminated worker (a process pool's two per run) stayed in memory for
 * the rest of the visit, with its listeners (issue 16).
 */
export function webWorkerHandle(worker: Worker): WorkerHandle {
  const stop = new AbortController();
  return {
    endpoint: worker,
    terminate: () => {
      stop.abort();
      worker.terminate();
    },
    onFailure(listener) {
      const { signal } = stop;
      worker.addEventListener(
        'error',
        (e) => {
          e.preventDefault();
          listener(new Error(e.message || 'failed to load or threw an uncaught error'));
        },
        { signal },
      );
      worker.addEventListener(
        'messageerror',
        () => listener(new Error('could not decode a message')),
        { signal },
      );
    },
  };
}

/**
 * A started worker, its comlink proxy and its life, as both engines' workers need them: a call
 * made through guard() rejects at once when the worker dies instead of hanging, and a worker that
 * crashed is terminated. The experiments' WorkerSlot and Run Python's PythonWorker and GreenWorker
 * build on it. A worker may have companions (companion()): helper workers that live and die with
 * it, such as the one-interpreter engine's ticker.
 */
export class WorkerShell<Api> {
  /** Internal, unique name: the factory names the worker with it. */
  readonly name: string;
  readonly api: Remote<Api>;
  readonly #handle: WorkerHandle;
  /** The worker first, then its companions: what every way of ending stops. */
  readonly #handles: WorkerHandle[] = [];
  readonly #crashed: (cause: Error) => Error;
  readonly #dead: Promise<never>;
  #kill: (e: Error) => void = () => undefined;
  #death: Error | null = null;

  /** `crashed` turns the factory's failure report into the error every pending call rejects with. */
  constructor(factory: WorkerFactory, name: string, crashed: (cause: Error) => Error) {
    this.name = name;
    this.#crashed = crashed;
    this.#handle = factory(name);
    this.#handles.push(this.#handle);
    this.api = wrap<Api>(this.#handle.endpoint);
    this.#dead = new Promise<never>((_, reject) => (this.#kill = reject));
    this.#dead.catch(() => undefined);
    this.#handle.onFailure((cause) => this.lost(crashed(cause)));
  }

  /**
   * Starts a helper worker that lives and dies with this one: its crash is this worker's crash
   * (calls reject, both stop), and terminating this worker stops it too. Started after this worker
   * died, it is stopped at once.
   */
  protected companion(factory: WorkerFactory, name: string): WorkerHandle {
    const handle = factory(name);
    this.#handles.push(handle);
    handle.onFailure((cause) => this.lost(this.#crashed(cause)));
    if (this.#death) void handle.terminate();
    return handle;
  }

  /** False once terminated, crashed or gone. */
  get alive(): boolean {
    return this.#death === null;
  }

  /** Awaits `p` (a call on this worker), rejecting at once if the worker dies meanwhile. */
  guard<T>(p: Promise<T>): Promise<T> {
    if (this.#death) return Promise.reject(this.#death);
    return Promise.race([p, this.#dead]);
  }

  /**
   * guard(), and a rejection with `message` if `p` takes longer than `ms` (a boot that hangs ends
   * the run instead of hanging it).
   */
  async guardWithin<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    });
    try {
      return await Promise.race([this.guard(p), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The worker died or went away by itself: every call on it rejects with `error`. */
  protected lost(error: Error): void {
    if (!this.#end(error)) return;
    for (const h of this.#handles) void h.terminate();
  }

  /**
   * Stops the worker for good; resolves when the factory says it has exited. Calls still in flight
   * (and later ones through guard()) reject with `reason`: a terminated worker never answers.
   */
  async terminate(reason: Error = new Error(`Worker ${this.name} was terminated`)): Promise<void> {
    if (!this.#end(reason)) return;
    await Promise.all(this.#handles.map((h) => h.terminate()));
  }

  #end(error: Error): boolean {
    if (this.#death) return false;
    this.#death = error;
    this.#kill(error);
    return true;
  }
}

/** What a warm pool needs of a worker. */
interface PooledWorker {
  readonly alive: boolean;
  terminate(reason?: Error): Promise<void>;
}

/**
 * Workers kept warm between runs (both engines: starting a worker, let alone Pyodide, costs far
 * more than a run's dispatch): the idle ones, and every live one so that dispose reaches all.
 */
export class WarmPool<W extends PooledWorker> {
  readonly #idle: W[] = [];
  readonly #all = new Set<W>();

  /** Workers alive right now (idle or leased), including ones still starting. */
  get live(): number {
    let n = 0;
    for (const w of this.#all) if (w.alive) n++;
    return n;
  }

  /** Idle warm workers. */
  get warm(): number {
    return this.#idle.filter((w) => w.alive).length;
  }

  /** Counts a new worker as soon as it exists, so dispose() reaches it while it starts. */
  add(worker: W): void {
    this.#all.add(worker);
  }

  /** The most recently returned warm worker, or null; dead idle ones are forgotten on the way. */
  takeWarm(): W | null {
    while (this.#idle.length > 0) {
      const w = this.#idle.pop()!;
      if (w.alive) return w;
      this.#all.delete(w);
    }
    return null;
  }

  /** Keeps a worker warm if it is alive and `reusable`, else terminates and forgets it. */
  giveBack(worker: W, reusable = true): void {
    if (worker.alive && reusable) this.#idle.push(worker);
    else void this.discard(worker);
  }

  /** Terminates one worker and forgets it. */
  async discard(worker: W, reason?: Error): Promise<void> {
    this.#all.delete(worker);
    const i = this.#idle.indexOf(worker);
    if (i >= 0) this.#idle.splice(i, 1);
    await worker.terminate(reason);
  }

  /** Terminates every worker, idle or busy (`reason`: what their calls in flight reject with). */
  async dispose(reason?: () => Error): Promise<void> {
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((w) => w.terminate(reason?.())));
  }
}
