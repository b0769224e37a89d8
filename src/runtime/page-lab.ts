/**
 * One page's lab: everything the page's widgets share about running. One queue for every run on
 * the page (an experiment and a Run Python block never run at once: they would fight for the same
 * cores and disturb each other's timings), the engines created on first use, what has been got
 * ready ahead of runs, and disposal when the page goes away. UI-free: widgets are handed it.
 */
import type { Runtime } from './experiments/runtime.ts';
import type { PythonRunner } from './python/index.ts';

/** How a lab makes its engines (tests and the bench inject Node's worker_threads). */
export interface PageLabOptions {
  /** Makes the experiments' runtime on first use; default: `createRuntime()`, loaded on demand. */
  createRuntime?: () => Runtime | Promise<Runtime>;
  /** Makes the Python runner on first use; default: `createPythonRunner()`, loaded on demand. */
  createPythonRunner?: () => PythonRunner | Promise<PythonRunner>;
}

const cancelled = () => new DOMException('The run was cancelled', 'AbortError');
/** The page went away (pagehide): an AbortError, like a stopped run. */
const disposedError = () => new DOMException('The page lab was disposed', 'AbortError');

export class PageLab {
  readonly #options: PageLabOptions;
  /** The end of the queue: resolves when the last queued run has ended. */
  #tail: Promise<void> = Promise.resolve();
  /** Runs waiting for their turn or running. */
  #active = 0;
  /** Work done ahead of runs (`prepare`), one piece at a time; a run waits for the current piece. */
  #preparing: Promise<unknown> = Promise.resolve();
  /** Per key: what got a configuration ready (kept once it succeeded). */
  #readied = new Map<string, Promise<unknown>>();
  /** Keys of `#readied` that have finished. */
  #ready = new Set<string>();
  #runtime: Promise<Runtime> | null = null;
  #python: Promise<PythonRunner> | null = null;
  #disposed = false;

  constructor(options: PageLabOptions = {}) {
    this.#options = options;
  }

  /** The experiments' runtime, created (and its code loaded) on first use. */
  runtime(): Promise<Runtime> {
    if (this.#disposed) return Promise.reject(disposedError());
    this.#runtime ??= (async () => {
      const make =
        this.#options.createRuntime ??
        (async () => (await import('./experiments/runtime.ts')).createRuntime());
      return make();
    })();
    return this.#runtime;
  }

  /** The Python runner, created (and its code loaded) on first use. */
  python(): Promise<PythonRunner> {
    if (this.#disposed) return Promise.reject(disposedError());
    this.#python ??= (async () => {
      const make =
        this.#options.createPythonRunner ??
        (async () => (await import('./python/index.ts')).createPythonRunner());
      return make();
    })();
    return this.#python;
  }

  /** True while a run is queued or running. */
  get busy(): boolean {
    return this.#active > 0;
  }

  /**
   * Runs `work` once every run queued before it has ended, holding the page's turn until `work`
   * settles. Stopping (`signal`) while queued rejects at once with an AbortError and `work` never
   * starts (the turn is passed on when it comes); once started, `work` runs to its own end.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#disposed) return Promise.reject(disposedError());
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => mine);
    this.#active++;
    let started = false;
    const done = previous
      .then(async () => {
        if (signal?.aborted) throw cancelled();
        started = true;
        return await work();
      })
      .finally(() => {
        release();
        this.#active--;
      });
    if (!signal) return done;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => started || reject(cancelled());
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      done
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort))
        .catch(() => undefined);
    });
  }

  /**
   * What gets a configuration ready to run at once (warm workers, sized work), done once per
   * `key` for this page: later calls share the first one's promise. A failure is forgotten, so the
   * next call tries again.
   */
  ready<T>(key: string, get: () => Promise<T>): Promise<T> {
    let hit = this.#readied.get(key) as Promise<T> | undefined;
    if (!hit) {
      const mine = get();
      hit = mine;
      this.#readied.set(key, mine);
      mine.then(
        () => this.#ready.add(key),
        () => this.#readied.get(key) === mine && this.#readied.delete(key),
      );
    }
    return hit;
  }

  /** True once `ready(key, …)` has finished for this page. */
  isReady(key: string): boolean {
    return this.#ready.has(key);
  }

  /**
   * Work to do while the reader is still reading (getting a configuration ready), one piece at a
   * time after the pieces before it. Skipped when a run is queued or running by then; never throws.
   */
  prepare(work: () => Promise<unknown>): void {
    this.#preparing = this.#preparing
      .then(() => (this.busy || this.#disposed ? undefined : work()))
      .catch(() => undefined);
  }

  /** Resolves once the preparation under way (if any) has finished; a run waits for it. */
  async prepared(): Promise<void> {
    await this.#preparing;
  }

  /**
   * Stops every worker of both engines: runs still going reject (AbortError). The lab is done;
   * the page makes a new one if it comes back (`pageLab()`).
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const runtime = this.#runtime;
    const python = this.#python;
    this.#runtime = null;
    this.#python = null;
    this.#readied.clear();
    this.#ready.clear();
    await Promise.all([
      runtime?.then((rt) => rt.dispose()).catch(() => undefined),
      python?.then((runner) => runner.dispose()).catch(() => undefined),
    ]);
  }
}

let lab: PageLab | null = null;

/** The page's lab, created on first use. */
export function pageLab(): PageLab {
  lab ??= new PageLab();
  return lab;
}

// Leaving the page mid-run: stop every worker so none outlives the page (or the bfcache entry).
// A page restored from the bfcache gets a fresh lab on its next run.
globalThis.addEventListener?.('pagehide', () => {
  const leaving = lab;
  lab = null;
  void leaving?.dispose();
});
