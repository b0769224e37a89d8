/**
 * GIL Lab runtime: real work in real workers under a CPython-style GIL, with a live timeline.
 * UI-free; this file is its whole public face.
 *
 *   const rt = createRuntime();                       // browser: Web Workers
 *   const run = rt.runExperiment({ mode: 'gil', workers: 2, workload: { name: 'countdown', targetMs: 500 } });
 *   requestAnimationFrame(function draw() { run.timeline.poll(); … });
 *   const result = await run.result;                  // RunResult
 */
export { RunConfigError, parseRunConfig, type RunConfig } from './experiments/config.ts';
export {
  Executor,
  PARENT_LABEL,
  runLanes,
  type Progress,
  type RunOptions,
} from './experiments/executors.ts';
export { Future } from './experiments/future.ts';
export {
  RuntimeDisposedError,
  WorkerCrashedError,
  browserWorkerFactory,
} from './experiments/pool.ts';
export type { WorkerFactory, WorkerHandle } from './core/worker-shell.ts';
export {
  START_METHOD_MODEL_MS,
  START_METHOD_MODEL_SOURCE,
  SEND_MODEL_MS,
  SEND_MODEL_SOURCE,
  type RunResult,
} from './experiments/result.ts';
export {
  concurrentMs,
  inEventOrder,
  exclusionViolations,
  gilAcquisitions,
  handoffStats,
  ioCallsPerSecond,
  ioReacquireMs,
  lockHeldShare,
  percentile,
  type HandoffStats,
  type ThreadStats,
} from './core/stats.ts';
export {
  median,
  medianInterval,
  medianPairIndex,
  summarizePairs,
  type PairedSummary,
  type TimedPair,
} from './core/paired-stats.ts';
export {
  BUSY_SPREAD,
  CEILING_TOLERANCE,
  SAME_SPEED_FACTOR,
  gradeSpeedPrediction,
  speedClass,
  speedVerdict,
  type PredictionGrade,
  type SpeedClass,
  type SpeedLimits,
  type SpeedVerdict,
} from './core/speed-verdict.ts';
export {
  DEFAULT_PAIR_BUDGET,
  measurePairs,
  type PairBudget,
  type PairedMeasurement,
  type PairRunners,
} from './experiments/paired-runs.ts';
export {
  MIN_RATE_RUNS,
  medianRateIndex,
  rateSettled,
  rateVerdict,
  summarizeRates,
  type RateSummary,
  type RateVerdict,
} from './core/rate-stats.ts';
export {
  DEFAULT_REPEAT_BUDGET,
  measureRate,
  type RateMeasurement,
  type RepeatBudget,
} from './experiments/repeated-runs.ts';
export { comparisonSettled, speedLimits } from './experiments/speed-limits.ts';
export { laneImbalance, type LaneImbalance } from './experiments/lane-balance.ts';
export { convoyRate, type ConvoyRate } from './experiments/convoy-rate.ts';
export {
  pageStorage,
  recallSize,
  rememberSize,
  sizeKey,
  type SizeStorage,
} from './experiments/remembered-sizes.ts';
export {
  compareWithPlainLoop,
  type CompareOptions,
  type Comparison,
} from './experiments/compare-runs.ts';
export {
  STATE,
  THREAD_STATES,
  TimelineReader,
  TimelineWriter,
  createTimeline,
  toSegments,
  type LaneInfo,
  type Segment,
  type ThreadState,
  type TimelineEvent,
  type TimelineSnapshot,
} from './core/timeline.ts';
export type { Calibration, TaskOutcome } from './experiments/thread.api.ts';
export * from '../schemas/run-config.ts';
export { MODES, THREAD_MODES, type Mode, type ThreadMode } from './core/mode.ts';
export {
  createRuntime,
  isSupported,
  type ExperimentHandle,
  type Runtime,
  type RuntimeOptions,
} from './experiments/runtime.ts';
export { PageLab, pageLab, type PageLabOptions } from './page-lab.ts';
export { interpretersFor, startsProcesses } from './python-needs.ts';
