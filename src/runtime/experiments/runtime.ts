/**
 * The experiments' runtime: one page's warm worker pool, its calibrations, and the executors that
 * run a configuration on it.
 */
import { parseOrThrow, parseRunConfig } from './config.ts';
import { Executor, type ExecutorEnv, type RunOptions } from './executors.ts';
import { WorkerPool, browserWorkerFactory } from './pool.ts';
import type { RunResult } from './result.ts';
import { TimelineReader, createTimeline } from '../core/timeline.ts';
import type { WorkerFactory } from '../core/worker-shell.ts';
import type { Calibration } from './thread.api.ts';
import {
  LockIterationsSchema,
  WorkloadSchema,
  type RunConfigInput,
  type WorkloadInput,
  type WorkloadName,
} from '../../schemas/run-config.ts';

/** A run in progress: the timeline is readable at once, the result arrives at the end. */
export interface ExperimentHandle {
  /** Poll it (non-blocking) to draw the run live; `snapshot()` gives JSON for recorded timelines. */
  timeline: TimelineReader;
  /**
   * Resolves with the result; rejects with AbortError (cancelled, or RuntimeDisposedError when the
   * runtime was disposed mid-run), WorkerCrashedError or a task's error.
   */
  result: Promise<RunResult>;
  /** The executor doing the work (setSwitchInterval, futures …). */
  executor: Executor;
  /** Same as aborting the signal. */
  cancel(): void;
}

/** Options for createRuntime. */
export interface RuntimeOptions {
  /** Creates workers; defaults to module Web Workers. Node tests and the bench inject worker_threads. */
  workerFactory?: WorkerFactory;
  /** Cores for efficiency figures; defaults to navigator.hardwareConcurrency. */
  cores?: number;
  /**
   * Minimum JIT warm-up per worker and workload before timed work, ms (default 600: Chromium's
   * workers need about half a second of hot code to reach full speed; Node's far less).
   */
  warmupMs?: number;
}

/** One page's runtime: a warm worker pool and its calibrations. */
export interface Runtime {
  /** Validates `config` (throws RunConfigError naming fields and ranges) and starts it. */
  runExperiment(config: RunConfigInput, options?: RunOptions): ExperimentHandle;
  /** An executor for submitting tasks yourself (concurrent.futures style); call shutdown() for the result. */
  executor(config: RunConfigInput, options?: RunOptions): Executor;
  /**
   * Size for which one task of `workload` takes about `targetMs` on this device; cached per runtime.
   * Throws a RunConfigError (naming "workload.…" fields and their ranges) for invalid arguments.
   */
  calibrate(
    workload: WorkloadName | Omit<WorkloadInput, 'size' | 'targetMs'>,
    targetMs: number,
  ): Promise<Calibration>;
  /** ns per uncontended GIL acquire + release, measured in a worker (iterations: 1 to 1e8). */
  measureLock(iterations?: number): Promise<number>;
  /** Workers alive now (warm ones included). */
  readonly liveWorkers: number;
  /**
   * Terminates every worker, idle or busy: runs still going reject with RuntimeDisposedError (an
   * AbortError). A disposed runtime starts no more workers; create a new one.
   */
  dispose(): Promise<void>;
}

/** True where the runtime can run: SharedArrayBuffer needs a cross-origin-isolated page. */
export function isSupported(): boolean {
  return (
    typeof SharedArrayBuffer === 'function' && (globalThis.crossOriginIsolated ?? true) !== false
  );
}

/** Creates a runtime; one per page is enough. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const pool = new WorkerPool(options.workerFactory ?? browserWorkerFactory);
  const cores = options.cores ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  const warmupMs = options.warmupMs ?? 600;
  const cache = new Map<string, Promise<Calibration>>();
  const clock = new TimelineReader(createTimeline(1, 1), []).now;

  const calibrate: Runtime['calibrate'] = (workload, targetMs) => {
    const w = parseOrThrow(
      WorkloadSchema,
      { ...(typeof workload === 'string' ? { name: workload } : workload), targetMs },
      'workload',
    );
    const key = JSON.stringify(w);
    let hit = cache.get(key);
    if (!hit) {
      hit = (async () => {
        const [slot] = await pool.lease(1, clock);
        try {
          return await slot!.guard(slot!.api.calibrate(w, targetMs, warmupMs));
        } finally {
          pool.giveBack(slot!);
        }
      })();
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };

  const env: ExecutorEnv = { pool, cores, warmupMs, calibrate: (w, t) => calibrate(w, t) };
  const executor = (config: RunConfigInput, opts?: RunOptions): Executor =>
    new Executor(env, parseRunConfig(config), opts);

  return {
    executor,
    calibrate,
    runExperiment(config, opts = {}) {
      const ex = executor(config, opts);
      const result = (async () => {
        await ex.map();
        return ex.shutdown();
      })().catch(async (e: unknown) => {
        await ex.shutdown().catch(() => undefined);
        throw e;
      });
      result.catch(() => undefined);
      return { timeline: ex.timeline, result, executor: ex, cancel: () => ex.cancel() };
    },
    async measureLock(iterations = 1_000_000) {
      parseOrThrow(LockIterationsSchema, iterations, 'iterations');
      const [slot] = await pool.lease(1, clock);
      try {
        return await slot!.guard(slot!.api.measureLock(iterations));
      } finally {
        pool.giveBack(slot!);
      }
    },
    get liveWorkers() {
      return pool.live;
    },
    dispose: () => pool.dispose(),
  };
}
