import type { WorkloadConfig } from '../../../schemas/run-config.ts';
import type { Interp } from '../../core/interp.ts';

/** What one task is told: its place in the run and its (shared or copied) input. */
export interface TaskInfo {
  /** Index of this task among all tasks of the run. */
  index: number;
  /** Number of tasks in the run. */
  count: number;
  /** The workload with a concrete size. */
  workload: WorkloadConfig & { size: number };
  /** Input bytes (hash/native), or null. */
  data: Uint8Array | null;
}

/** A workload: real computation that calls the interpreter's eval breaker where CPython would. */
export interface Workload {
  /** Runs `size` units of work for `task` and returns a checksum, so nothing can be optimised away. */
  run(size: number, task: TaskInfo, interp: Interp): number;
  /** A small first size for calibration. */
  calibrationStart: number;
}
