import type { RunConfigInput, WorkloadInput } from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment.ts';

/**
 * How a widget's reader-facing settings become runtime runs. Pure, so it is unit-tested in Node.
 * A plan is the main run plus, where a speed-up is meaningful, a plain-loop baseline doing the
 * same total work (same workload, same calibrated size).
 */
export interface RunPlan {
  /**
   * The settings that actually run: race and mixed work always use a thread pool (of at least two
   * threads), whatever executor was chosen. Summaries and the compare table describe these.
   */
  effective: ExperimentSettings;
  /** The run the reader asked for. */
  config: RunConfigInput;
  /** Extra tasks submitted beside the config's own (the I/O thread of the convoy). */
  extraTasks: { workload: Partial<WorkloadInput> }[];
  /** Whether a plain-loop baseline (`plainLoop`) gives a meaningful speed-up for this run. */
  baseline: boolean;
  /** Blocking calls in one I/O task. */
  ioCalls: number;
}

/** Blocking calls per I/O task: one, like the lesson's fetch(). */
const IO_CALLS = 1;
/** The convoy's I/O thread: this many calls of 0.2 ms (a quick server's reply). */
export const CONVOY_CALLS = 150;
const CONVOY_CALL_MS = 0.2;

function workloadFor(s: ExperimentSettings): WorkloadInput {
  switch (s.workload) {
    case 'cpu':
    case 'mixed':
      return { name: 'countdown', targetMs: s.taskMs };
    case 'io':
      return { name: 'io', size: s.taskMs / IO_CALLS, calls: IO_CALLS };
    case 'native':
      return { name: 'native', targetMs: s.taskMs };
    case 'native-held':
      // The same hashing, under the GIL: calls too small for hashlib to release it.
      return { name: 'hash', targetMs: s.taskMs };
    case 'race':
      return { name: 'race', targetMs: s.taskMs, callBetween: s.callBetween, useLock: s.useLock };
    case 'asyncio':
      return { name: 'asyncio', size: s.taskMs, calls: s.tasks ?? 1000 };
  }
}

/** Workloads that only make sense on threads sharing memory (the race, the convoy). */
export function threadsOnly(workload: ExperimentSettings['workload']): boolean {
  return workload === 'race' || workload === 'mixed';
}

/** The plan for `settings`. Sizes from calibration are filled in by the caller (`withSize`). */
export function planRun(settings: ExperimentSettings): RunPlan {
  const s = settings;
  const workload = workloadFor(s);
  const executor = threadsOnly(s.workload) ? 'threads' : s.executor;
  const workers =
    s.workload === 'asyncio' ? 1 : threadsOnly(s.workload) ? Math.max(2, s.workers) : s.workers;
  const runtimeExecutor =
    s.workload === 'asyncio' || executor === 'sequential'
      ? 'sequential'
      : executor === 'threads'
        ? 'threads'
        : 'processes';
  const mode = runtimeExecutor === 'processes' ? 'processes' : s.mode;
  const cpuTasks =
    s.workload === 'mixed'
      ? Math.max(1, workers - 1)
      : s.workload === 'asyncio'
        ? 1
        : (s.tasks ?? workers);
  const config: RunConfigInput = {
    mode,
    executor: runtimeExecutor,
    workers: runtimeExecutor === 'sequential' ? 1 : workers,
    tasks: cpuTasks,
    workload,
    switchIntervalMs: s.switchIntervalMs,
    startMethod: runtimeExecutor === 'processes' ? s.startMethod : 'none',
  };
  const extraTasks =
    s.workload === 'mixed'
      ? [{ workload: { name: 'io' as const, size: CONVOY_CALL_MS, calls: CONVOY_CALLS } }]
      : [];
  const meaningful = s.workload !== 'race' && s.workload !== 'mixed' && s.workload !== 'asyncio';
  const baseline = meaningful && runtimeExecutor !== 'sequential';
  return {
    effective: {
      ...s,
      executor: s.workload === 'asyncio' ? 'sequential' : executor,
      workers,
    },
    config,
    extraTasks,
    baseline,
    ioCalls: s.workload === 'mixed' ? CONVOY_CALLS : IO_CALLS,
  };
}

/** The same plan with a fixed task size, so the baseline and the run do exactly the same work. */
export function withSize(config: RunConfigInput, size: number): RunConfigInput {
  const { targetMs: _ignored, ...rest } = config.workload;
  return { ...config, workload: { ...rest, size } };
}

/**
 * The plain loop: the same total work as `config` (which must have a concrete size), done in one
 * thread by a single call, like `for x in xs: f(x)`, with no per-task hand-over. That is what a
 * pool's speed-up is measured against, so tiny tasks pay their dispatch cost only in the pool.
 */
export function plainLoop(config: RunConfigInput): RunConfigInput {
  const tasks = config.tasks ?? config.workers ?? 1;
  const w = config.workload;
  const workload =
    w.name === 'io'
      ? { ...w, calls: (w.calls ?? 1) * tasks }
      : { ...w, size: (w.size ?? 0) * tasks };
  return {
    mode: 'gil',
    executor: 'sequential',
    workers: 1,
    tasks: 1,
    workload,
    startMethod: 'none',
  };
}

/**
 * Whether a run's effective settings match the premise of a preset's prediction (the preset's own
 * settings): the same work, executor, worker count and, for threads, the same lock setting. A
 * prediction about "two threads on the GIL" says nothing about a later GIL-off run.
 */
export function matchesPremise(run: ExperimentSettings, premise: ExperimentSettings): boolean {
  const a = planRun(run).effective;
  const b = planRun(premise).effective;
  const same = (key: keyof ExperimentSettings) => a[key] === b[key];
  const work = ['workload', 'executor', 'workers', 'tasks', 'taskMs'] as const;
  if (!work.every(same)) return false;
  if (a.executor !== 'processes') {
    if (!same('mode')) return false;
    if (a.mode === 'gil' && a.workload !== 'io' && !same('switchIntervalMs')) return false;
  }
  if (a.workload === 'race' && (!same('callBetween') || !same('useLock'))) return false;
  return true;
}

/** A key that is equal for runs of the same work (for caching the sequential baseline). */
export function workKey(config: RunConfigInput): string {
  return JSON.stringify([config.workload, config.tasks]);
}
