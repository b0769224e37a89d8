/**
 * GIL Lab's real-Python runtime: CPython 3.14 (Pyodide) in every worker, the interpreters of a
 * run sharing one GIL in shared memory. UI-free, and separate from src/runtime/index.ts so the
 * experiments' bundle never pulls Pyodide in. Nothing of Pyodide loads before the first run()
 * or prewarm().
 *
 *   const runner = createPythonRunner();
 *   const run = runner.run(source, {
 *     mode: 'gil',
 *     onOutput: ({ label, stream, text }) => append(label, stream, text),
 *     onProgress: ({ phase, loaded, total, message }) => bar.update(…),
 *     onTimeline: (reader) => canvas.reset(reader.lanes),   // again whenever a lane is added
 *   });
 *   stopButton.onclick = () => run.stop();                  // KeyboardInterrupt, then terminate
 *   const result = await run.result;                        // PythonRunResult
 */
import { webWorkerHandle, type WorkerFactory } from '../core/worker-shell.ts';
import type { TimelineReader } from '../core/timeline.ts';
import {
  compiledWasm,
  fetchWithProgress,
  loadAssets,
  snapshotUrl,
  type PythonProgress,
  type ReadFile,
  type RuntimeAssets,
} from './assets.ts';
import { InterpreterPool, browserPythonWorkerFactory } from './interpreters.ts';
import { GreenEngine, hasStackSwitching, type GreenSources } from './green/engine.ts';
import { MAX_INTERPRETERS } from './memory.ts';
import type { ThreadMode } from '../core/mode.ts';
import { pythonResult, type PythonRunResult } from './result.ts';
import { startsProcesses } from '../python-needs.ts';
import { PythonSession } from './session.ts';

export type { PythonProgress, ReadFile } from './assets.ts';
export type { PythonError } from './protocol.ts';
export { THREAD_MODES, type ThreadMode } from '../core/mode.ts';
export type { PythonRunResult } from './result.ts';
export { MAX_INTERPRETERS } from './memory.ts';
export { browserPythonWorkerFactory } from './interpreters.ts';
export { DEFAULT_MEMORY_LIMIT_BYTES } from './interpreter-reset.ts';
export { hasStackSwitching } from './green/engine.ts';

/** The browser default for green-thread runs: a module Web Worker running green.worker.ts. */
export const browserGreenWorkerFactory: WorkerFactory = (name) =>
  // The URL must stay literal here: Vite finds and bundles workers by this exact pattern.
  webWorkerHandle(
    new Worker(new URL('./green/green.worker.ts', import.meta.url), { type: 'module', name }),
  );

/** The green-thread run's ticker worker. */
export const browserGreenTickerFactory: WorkerFactory = (name) =>
  webWorkerHandle(
    new Worker(new URL('./green/green-ticker.worker.ts', import.meta.url), {
      type: 'module',
      name,
    }),
  );

/** The one-interpreter engine's native workers (hashlib, zlib without the GIL): plain module workers. */
export const browserNativeWorkerFactory: WorkerFactory = (name) =>
  webWorkerHandle(
    new Worker(new URL('./green/native.worker.ts', import.meta.url), { type: 'module', name }),
  );

/** Options for createPythonRunner. */
export interface PythonRunnerOptions {
  /** Creates workers running python.worker.ts (default: module Web Workers). */
  workerFactory?: WorkerFactory;
  /** Where the Pyodide files are served (default `${BASE_URL}pyodide/`); a directory path in Node. */
  indexURL?: string;
  /** Interpreters alive at once, the main program's included (default and maximum 8). */
  maxInterpreters?: number;
  /** Compile pyodide.asm.wasm once on the page and share the Module with every worker (default true). */
  shareCompiledWasm?: boolean;
  /**
   * Reads a runtime file (default: fetch with progress; pyodide.asm.wasm is compiled streaming
   * from the HTTP cache, so the engine's code cache serves later pages). Node passes an fs reader.
   */
  readFile?: ReadFile;
  /**
   * A booted interpreter's memory that workers start from instead of booting CPython (default:
   * python-snapshot.bin beside the Pyodide files in the browser, none in Node; a path there).
   * Missing, broken or another Pyodide build's: workers boot the long way.
   */
  snapshot?: string | null;
  /** Text of the shim, bundleShim() of shim/*.py (default: bundled by Vite). Plain Node passes it. */
  shimSource?: string;
  /** os.cpu_count() inside Python (default navigator.hardwareConcurrency). */
  cpuCount?: number;
  /**
   * GIL mode's engine: 'auto' (default) runs every thread of a program as a call stack of ONE
   * interpreter where the engine has JSPI (`WebAssembly.Suspending`), else one interpreter per
   * thread; 'interpreter-per-thread' forces the latter (tests of the fallback).
   */
  gilEngine?: 'auto' | 'interpreter-per-thread';
  /**
   * GIL mode runs a program that makes a ProcessPoolExecutor in the one-interpreter engine too:
   * its threads share every object, its processes are green workers of their own beside it
   * (green/processes.ts). Default false: such a program runs on one interpreter per thread (its
   * threads share no objects), because beside a pool the one interpreter still dies about one
   * run in four under load (see src/runtime/python/README.md).
   */
  greenProcesses?: boolean;
  /**
   * GIL mode warms the interpreter's eval loop up at idle after it boots, and a program that
   * reads a clock waits for that (at most seconds, once a page): otherwise a page's first timed
   * program compares a part run on the engine's baseline code with one on optimised code
   * (green/warm-up.ts). Default true; Node's runner turns it off (its tests do not time).
   */
  warmUp?: boolean;
  /** Creates the green-thread worker (default: module Web Worker running green.worker.ts). */
  greenWorkerFactory?: WorkerFactory;
  /** Creates the green-thread run's ticker worker (default: green-ticker.worker.ts). */
  greenTickerFactory?: WorkerFactory;
  /**
   * Creates the one-interpreter engine's native workers, where hashlib and zlib compute without
   * the GIL (default: module Web Workers running green/native.worker.ts; null: none).
   */
  nativeWorkerFactory?: WorkerFactory | null;
  /** Texts of green/green_thread.py and green/process_pool.py (default: bundled by Vite). Plain Node passes them. */
  greenSource?: GreenSources;
  /**
   * An interpreter whose WebAssembly memory grew past this many bytes during a run is discarded
   * after it (WebAssembly memory never shrinks). Default DEFAULT_MEMORY_LIMIT_BYTES (512 MiB).
   */
  memoryLimitBytes?: number | undefined;
}

/** One line (or part of one) that an interpreter wrote. */
export interface PythonOutput {
  lane: number;
  /** "MainThread", "Thread-1", "ThreadPoolExecutor-0_0", "Process-1" … */
  label: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Options for one run. */
export interface PythonRunOptions {
  /** 'gil' (default): threads take turns; 'free-threaded': no lock, like python3.14t. */
  mode?: ThreadMode;
  /**
   * Initial sys.getswitchinterval() in ms (default 5). Not a number above 0: `result` rejects
   * with a ValueError, as sys.setswitchinterval raises (larger than about 36 minutes: clamped).
   */
  switchIntervalMs?: number;
  /** Aborting it is the same as stop(). */
  signal?: AbortSignal;
  /** File name tracebacks show (default "main.py"). */
  filename?: string;
  /**
   * GIL mode: wait for the eval-loop warm-up before the program starts (green/warm-up.ts), at
   * most 10 s once a page. Default: when the program reads a clock (green/warmth.ts
   * timesItself), since it compares its own parts.
   */
  waitForWarmUp?: boolean;
  onOutput?: (o: PythonOutput) => void;
  onProgress?: (p: PythonProgress) => void;
  /** Called with a fresh reader whenever the run gets a lane (reset the canvas with its lanes). */
  onTimeline?: (reader: TimelineReader) => void;
}

/** A run in progress. */
export interface PythonRunHandle {
  /** The current timeline reader (null until the main interpreter has joined). */
  readonly timeline: TimelineReader | null;
  /** Resolves when the program and all its threads have ended (never rejects for Python errors). */
  result: Promise<PythonRunResult>;
  /** KeyboardInterrupt in every interpreter, then (after 1 s) terminate the ones still running. */
  stop(): Promise<void>;
}

/** A page's Python runner: warm interpreters shared by its runs. */
export interface PythonRunner {
  run(source: string, options?: PythonRunOptions): PythonRunHandle;
  /** Boots interpreters ahead of time so runs start at once (e.g. when the editor gets focus). */
  prewarm(
    interpreters: number,
    onProgress?: (p: PythonProgress) => void,
    /** The run it prepares (default GIL mode): which engine's interpreters to boot. */
    run?: { mode?: ThreadMode; source?: string },
  ): Promise<void>;
  /** Workers alive now (warm ones included). */
  readonly liveWorkers: number;
  /** How the shared WebAssembly.Module was obtained (null before the first load). */
  readonly assets: (Omit<RuntimeAssets, 'wasm' | 'shimSource'> & { shared: boolean }) | null;
  dispose(): Promise<void>;
}

/**
 * The switch-interval option checked as CPython's sys.setswitchinterval checks its argument
 * (ValueError "switch interval must be strictly positive" for <= 0); NaN and non-numbers, which a
 * tampered option could give, are refused too. Too large a value is clamped where it is stored.
 */
function switchIntervalError(ms: unknown): Error | null {
  let message: string | null = null;
  if (typeof ms !== 'number' || Number.isNaN(ms))
    message = `switch interval must be a number of ms (got ${String(ms)})`;
  else if (ms <= 0) message = 'switch interval must be strictly positive';
  if (message === null) return null;
  const error = new Error(message);
  error.name = 'ValueError';
  return error;
}

function defaultIndexURL(): string {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  return new URL(`${base}pyodide/`, globalThis.location?.href ?? 'http://localhost/').href;
}

/** Creates a runner; one per page is enough. */
export function createPythonRunner(options: PythonRunnerOptions = {}): PythonRunner {
  const max = Math.min(MAX_INTERPRETERS, Math.max(1, options.maxInterpreters ?? MAX_INTERPRETERS));
  const indexURL = options.indexURL ?? defaultIndexURL();
  const cpuCount = options.cpuCount ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  let progress: ((p: PythonProgress) => void) | null = null;
  let assets: Promise<RuntimeAssets> | null = null;
  let loaded: RuntimeAssets | null = null;
  const snapshot =
    options.snapshot !== undefined
      ? options.snapshot
      : options.readFile === undefined
        ? snapshotUrl(indexURL)
        : null;
  const getAssets = (): Promise<RuntimeAssets> => {
    assets ??= loadAssets({
      indexURL,
      share: options.shareCompiledWasm ?? true,
      readFile: options.readFile ?? fetchWithProgress,
      // The browser compiles streaming from the HTTP cache: the engine's code cache serves later pages.
      compile: options.readFile === undefined ? compiledWasm : undefined,
      shimSource: options.shimSource,
      snapshot,
      prefetchStdlib: options.readFile === undefined,
      onProgress: (p) => progress?.(p),
    }).then((a) => (loaded = a));
    assets.catch(() => (assets = null));
    return assets;
  };
  const pool = new InterpreterPool(
    options.workerFactory ?? browserPythonWorkerFactory,
    getAssets,
    max,
    options.memoryLimitBytes,
  );

  const green = new GreenEngine({
    factory: options.greenWorkerFactory ?? browserGreenWorkerFactory,
    tickerFactory: options.greenTickerFactory ?? browserGreenTickerFactory,
    nativeFactory:
      options.nativeWorkerFactory === undefined
        ? browserNativeWorkerFactory
        : options.nativeWorkerFactory,
    cpuCount,
    assets: getAssets,
    source: async () => options.greenSource ?? (await import('./green/source.ts')).default,
    memoryLimitBytes: options.memoryLimitBytes,
    // Only where the workers boot from the page's shared module (which the snapshot needs).
    preload: (options.shareCompiledWasm ?? true) ? { indexURL, snapshot } : undefined,
    warmUp: options.warmUp ?? true,
  });
  // A program that starts processes keeps the other engine unless greenProcesses says otherwise.
  const useGreen = (mode: ThreadMode, source = ''): boolean =>
    mode === 'gil' &&
    options.gilEngine !== 'interpreter-per-thread' &&
    hasStackSwitching() &&
    (options.greenProcesses === true || !startsProcesses(source));

  return {
    run(source, runOptions = {}) {
      const mode = runOptions.mode ?? 'gil';
      if (useGreen(mode, source)) {
        const invalid = switchIntervalError(runOptions.switchIntervalMs ?? 5);
        if (invalid) {
          const result = Promise.reject(invalid);
          result.catch(() => undefined);
          return { timeline: null, result, stop: async () => undefined };
        }
        progress = runOptions.onProgress ?? null;
        return green.run({
          source,
          filename: runOptions.filename ?? 'main.py',
          switchIntervalMs: runOptions.switchIntervalMs ?? 5,
          ...(runOptions.waitForWarmUp !== undefined
            ? { waitForWarmUp: runOptions.waitForWarmUp }
            : {}),
          onOutput: runOptions.onOutput ?? (() => undefined),
          onProgress: (p) => {
            if (p.phase === 'running') progress = null;
            runOptions.onProgress?.(p);
          },
          onTimeline: runOptions.onTimeline ?? (() => undefined),
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        });
      }
      const onProgress = runOptions.onProgress ?? (() => undefined);
      let session: PythonSession | null = null;
      let stopRequested = false;
      const stop = async (): Promise<void> => {
        stopRequested = true;
        await session?.stop();
      };
      runOptions.signal?.addEventListener('abort', () => void stop(), { once: true });
      const switchIntervalMs = runOptions.switchIntervalMs ?? 5;
      const invalid = switchIntervalError(switchIntervalMs);
      const result = (async () => {
        if (invalid) throw invalid;
        progress = onProgress;
        onProgress({ phase: 'startup', message: 'Starting Python' });
        const s = new PythonSession({
          pool,
          source,
          filename: runOptions.filename ?? 'main.py',
          mode,
          switchIntervalMs,
          maxInterpreters: max,
          cpuCount,
          onOutput: runOptions.onOutput ?? (() => undefined),
          onLanes: (reader) => {
            if (reader.lanes.length === 1) {
              progress = null;
              onProgress({ phase: 'running', message: 'Running' });
            }
            runOptions.onTimeline?.(reader);
          },
          onStartup: (n, message) => onProgress({ phase: 'startup', loaded: n, message }),
        });
        session = s;
        if (stopRequested || runOptions.signal?.aborted) await s.stop();
        const { outcome, wallMs } = await s.run().catch((e: unknown) => ({
          outcome: {
            ok: false,
            error: {
              type: s.stopped ? 'KeyboardInterrupt' : 'Error',
              message: e instanceof Error ? e.message : String(e),
              traceback: '',
            },
          },
          wallMs: 0,
        }));
        await s.finish();
        return pythonResult(s, outcome, wallMs, mode);
      })();
      return {
        get timeline() {
          return session === null || session.lanes.length === 0 ? null : session.reader;
        },
        result,
        stop,
      };
    },
    async prewarm(interpreters, onProgress, run = {}) {
      progress = onProgress ?? null;
      if (useGreen(run.mode ?? 'gil', run.source)) {
        await green.prewarm(run.source);
        onProgress?.({ phase: 'startup', loaded: 1, total: 1, message: 'Started Python' });
        return;
      }
      await pool.prewarm(interpreters, (done, of) =>
        onProgress?.({
          phase: 'startup',
          loaded: done,
          total: of,
          message: `Started ${done} of ${of} interpreters`,
        }),
      );
    },
    get liveWorkers() {
      return pool.live + green.live;
    },
    get assets() {
      if (loaded === null) return null;
      const { indexURL: url, downloadMs, compileMs, wasm, snapshot } = loaded;
      return { indexURL: url, snapshot, downloadMs, compileMs, shared: wasm !== null };
    },
    dispose: async () => {
      await Promise.all([pool.dispose(), green.dispose()]);
    },
  };
}
