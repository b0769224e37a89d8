/**
 * Page side: the workers that host interpreters. Booting Pyodide takes seconds, so interpreters
 * stay warm between runs (each run gives them a fresh module namespace); at most
 * `maxInterpreters` are alive at once. A worker that crashed or had to be terminated (Stop on a
 * long C call) is dropped and replaced by a fresh one when needed.
 */
import { transfer } from 'comlink';
import {
  WarmPool,
  WorkerShell,
  webWorkerHandle,
  type WorkerFactory,
} from '../core/worker-shell.ts';
import type { PythonApi } from './python.api.ts';
import type { RuntimeAssets } from './assets.ts';
import { lockManager } from './worker-scope.ts';
import type { BootReport, InterpreterReport, InterpreterRequest } from './protocol.ts';

/** Longest a worker may take to boot Pyodide before the run fails instead of hanging. */
const BOOT_TIMEOUT_MS = 90_000;

/** The browser default: a module Web Worker running python.worker.ts. */
export const browserPythonWorkerFactory: WorkerFactory = (name) =>
  // The URL must stay literal here: Vite finds and bundles workers by this exact pattern.
  webWorkerHandle(
    new Worker(new URL('./python.worker.ts', import.meta.url), { type: 'module', name }),
  );

/** One worker with a booted interpreter (the core's WorkerShell: calls reject when it dies). */
export class PythonWorker extends WorkerShell<PythonApi> {
  /** Boot time (worker start + Pyodide + shim), ms. */
  bootMs = 0;
  boot: BootReport | null = null;
  /** When the worker was created, on the performance.now() clock. */
  readonly createdAt: number;
  /** Receives the interpreter's requests while it takes part in a run. */
  onRequest: ((r: InterpreterRequest) => void) | null = null;
  /**
   * Why this interpreter must not serve another run (it was killed, corrupted, grew past the
   * memory limit or could not be reset), or null. The pool discards it instead of keeping it warm.
   */
  retired: string | null = null;
  readonly #port: MessagePort;
  readonly #bootPort: MessagePort;
  #drained: () => void = () => undefined;

  constructor(factory: WorkerFactory, name: string) {
    super(factory, name, (e) => this.#gone(`crashed: ${e.message}`));
    this.createdAt = performance.now();
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.addEventListener('message', (e: MessageEvent<InterpreterRequest>) => {
      if (e.data.kind === 'left') this.#drained();
      else this.onRequest?.(e.data);
    });
    this.#port.start();
    // Node: the port must not keep the process alive by itself.
    (this.#port as unknown as { unref?: () => void }).unref?.();
    this.#bootPort = channel.port2;
  }

  /** Why the worker died or went away by itself: it is retired, calls on it reject with this. */
  #gone(why: string): Error {
    if (this.alive) this.retired = why;
    return new Error(`The Python worker ${this.name} ${why}`);
  }

  /**
   * Waits for the worker's liveness lock (worker-scope.ts): granted only once the worker is gone.
   * A worker that closed itself fires no event on the page, so this is how such a run ends.
   */
  #watch(lock: string): void {
    void lockManager()?.request(lock, async () => {
      this.lost(
        this.#gone(
          'went away (it was closed or the browser ended it); the next run starts a fresh one',
        ),
      );
    });
  }

  /** Loads Pyodide in the worker. */
  async start(assets: RuntimeAssets, memoryLimitBytes?: number | undefined): Promise<void> {
    const t0 = performance.now();
    const lock = lockManager() === null ? undefined : `gil-lab-python-${crypto.randomUUID()}`;
    const config = {
      aliveLock: lock,
      memoryLimitBytes,
      indexURL: assets.indexURL,
      wasm: assets.wasm,
      snapshot: assets.snapshot,
      shimSource: assets.shimSource,
      port: this.#bootPort,
      clockBase: performance.timeOrigin,
    };
    this.boot = await this.guardWithin(
      this.api.boot(transfer(config, [this.#bootPort])),
      BOOT_TIMEOUT_MS,
      `GIL Lab: Python did not start within ${BOOT_TIMEOUT_MS / 1000} s`,
    );
    if (lock !== undefined) this.#watch(lock);
    this.bootMs = performance.now() - t0;
  }

  /**
   * Leaves the run. Resolves only once every message the interpreter posted during the run has
   * arrived: output travels on its own port, and comlink's reply (on the worker's port) can
   * overtake it, which used to lose a program's last line.
   */
  async leave(): Promise<InterpreterReport> {
    const drained = new Promise<void>((resolve) => (this.#drained = resolve));
    try {
      const report = await this.guard(this.api.leave());
      if (report.reusable === false) this.retired = report.reason ?? 'not reusable';
      await this.guard(drained);
      return report;
    } catch (e) {
      this.retired = e instanceof Error ? e.message : String(e);
      throw e;
    }
  }

  /** Stops the worker for good. */
  override async terminate(
    reason: Error = new Error(`Python worker ${this.name} was stopped`),
  ): Promise<void> {
    this.#port.close();
    await super.terminate(reason);
  }
}

/** Warm interpreters, at most `max` alive. */
export class InterpreterPool {
  readonly max: number;
  readonly #factory: WorkerFactory;
  readonly #assets: () => Promise<RuntimeAssets>;
  readonly #warm = new WarmPool<PythonWorker>();
  readonly #memoryLimitBytes: number | undefined;
  #count = 0;

  constructor(
    factory: WorkerFactory,
    assets: () => Promise<RuntimeAssets>,
    max: number,
    memoryLimitBytes?: number | undefined,
  ) {
    this.#memoryLimitBytes = memoryLimitBytes;
    this.#factory = factory;
    this.#assets = assets;
    this.max = max;
  }

  /** Workers alive now (idle or in a run), including ones still booting. */
  get live(): number {
    return this.#warm.live;
  }

  /** Idle warm interpreters. */
  get warm(): number {
    return this.#warm.warm;
  }

  /** A warm interpreter, or a newly booted one (`fresh` true) if there is room. */
  async lease(): Promise<{ worker: PythonWorker; fresh: boolean }> {
    const warm = this.#warm.takeWarm();
    if (warm !== null) return { worker: warm, fresh: false };
    return { worker: await this.#boot(), fresh: true };
  }

  /** A newly booted interpreter, if there is room. */
  async #boot(): Promise<PythonWorker> {
    if (this.live >= this.max)
      throw new Error(`GIL Lab runs at most ${this.max} interpreters at once`);
    const worker = new PythonWorker(this.#factory, `python-${++this.#count}`);
    this.#warm.add(worker);
    try {
      await worker.start(await this.#assets(), this.#memoryLimitBytes);
    } catch (e) {
      await this.#warm.discard(worker);
      throw e;
    }
    return worker;
  }

  /**
   * Returns an interpreter to the warm pool. A dead one is forgotten; a retired one (killed,
   * corrupted or too big: see PythonWorker.retired) is terminated, so the next run never gets it.
   */
  giveBack(worker: PythonWorker): void {
    worker.onRequest = null;
    this.#warm.giveBack(worker, worker.retired === null);
  }

  /** Terminates one interpreter (stuck in a C call at Stop, or crashed). */
  async discard(worker: PythonWorker): Promise<void> {
    await this.#warm.discard(worker);
  }

  /** Boots interpreters until `n` are warm (or the limit is reached). */
  async prewarm(n: number, onStarted?: (done: number, of: number) => void): Promise<void> {
    const want = Math.min(n, this.max) - this.warm;
    const room = Math.min(want, this.max - this.live);
    let done = 0;
    // Boots new ones: a lease would take a warm one and give it back, so asking for 3 with 2
    // warm booted none (a process pool's second process then booted during the run).
    const booted = await Promise.all(
      Array.from({ length: Math.max(0, room) }, async () => {
        const worker = await this.#boot();
        onStarted?.(++done, room);
        return worker;
      }),
    );
    booted.forEach((w) => this.giveBack(w));
  }

  async dispose(): Promise<void> {
    await this.#warm.dispose();
  }
}
