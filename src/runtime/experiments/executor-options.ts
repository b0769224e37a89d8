/** What an Executor is given: per-task overrides, per-run options, and what it needs from its runtime. */
import type { WorkerPool } from './pool.ts';
import type { Calibration } from './thread.api.ts';
import type { WorkloadConfig, WorkloadInput } from '../../schemas/run-config.ts';

/** Per-task overrides for Executor.submit. */
export interface TaskOverride {
  /** Size for this task, in the workload's unit. */
  size?: number;
  /** Fields merged over the run's workload (give `size` when changing `name`). */
  workload?: Partial<Omit<WorkloadInput, 'targetMs'>>;
}

/** Progress of a run, reported after every finished task. */
export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
}

/** Options for one run. */
export interface RunOptions {
  /** Aborting stops running work, frees the workers and rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called after each finished task. */
  onProgress?: (p: Progress) => void;
  /** Wall time of a sequential run of the same tasks, for speedup. */
  baselineWallMs?: number;
  /**
   * Bench only (default true): false leaves the timeline empty, so `npm run bench` can time the
   * same run with and without recording. Nothing in the product sets it.
   */
  recordTimeline?: boolean;
}

/** What an executor needs from its runtime. */
export interface ExecutorEnv {
  pool: WorkerPool;
  cores: number;
  /** Minimum JIT warm-up per worker and workload, ms. */
  warmupMs: number;
  calibrate(workload: WorkloadConfig, targetMs: number): Promise<Calibration>;
}
