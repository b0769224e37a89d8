/** The result of one run, and how it is assembled from the run's raw measurements. */
import type { RunConfig } from './config.ts';
import { sizeUnit } from './config.ts';
import {
  concurrentMs,
  handoffStats,
  inEventOrder,
  lockHeldShare,
  threadStats,
  type HandoffStats,
  type ThreadStats,
} from '../core/stats.ts';
import type { TimelineSnapshot } from '../core/timeline.ts';
import type { ExecutorKind, StartMethod, WorkloadName } from '../../schemas/run-config.ts';
import type { Mode } from '../core/mode.ts';
import reference from '../../data/cpython-reference.json' with { type: 'json' };

const measured = reference.experiments.startup.process;
const round2 = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * CPython's start-up cost per process by start method, ms: the medians in the committed CPython
 * reference (`src/data/cpython-reference.json`, `npm run measure:cpython`: multiprocessing
 * Process(target=noop) start() + join()). A process pool's modelled parent works that long (sized
 * on this device) to start each process (parent-model.ts).
 */
export const START_METHOD_MODEL_MS: Record<Exclude<StartMethod, 'none'>, number> = {
  fork: round2(measured.fork.medianMs),
  forkserver: round2(measured.forkserver.medianMs),
  spawn: round2(measured.spawn.medianMs),
};
/** Where START_METHOD_MODEL_MS comes from. */
export const START_METHOD_MODEL_SOURCE = `measured with CPython ${reference.python.version} on this project's reference machine (${reference.machine.cores} cores, ${reference.measuredAt.slice(0, 10)}), medians of Process(target=noop) start() + join(): fork ${START_METHOD_MODEL_MS.fork} ms, forkserver ${START_METHOD_MODEL_MS.forkserver} ms, spawn ${START_METHOD_MODEL_MS.spawn} ms`;

interface SendReference {
  tinyTasks?: { sendPerTask?: { medianMs: number } };
}
const send = (reference.experiments as SendReference).tinyTasks?.sendPerTask?.medianMs;

/**
 * What CPython's parent process spends sending one task to a process pool and taking its result
 * back, ms, as modelled (parent-model.ts): the median in the committed reference (no-op tasks
 * through a warm 2-process fork pool, total ÷ tasks); 0 when the reference predates that figure.
 */
export const SEND_MODEL_MS: number =
  typeof send === 'number' && send > 0 ? Math.round(send * 1000) / 1000 : 0;
/** Where SEND_MODEL_MS comes from. */
export const SEND_MODEL_SOURCE = `measured with CPython ${reference.python.version} on this project's reference machine (${reference.machine.cores} cores, ${reference.measuredAt.slice(0, 10)}): no-op tasks through a warm 2-process fork pool, total ÷ tasks, median of rounds: ${SEND_MODEL_MS} ms per task`;

/** Everything a run measured. Times are ms unless the name says otherwise. */
export interface RunResult {
  mode: Mode;
  executor: ExecutorKind;
  /** Threads or processes used (1 for sequential). */
  workers: number;
  tasks: number;
  /** Cores the device reports (navigator.hardwareConcurrency). */
  cores: number;
  workload: { name: WorkloadName; size: number; unit: string; calibrated: boolean };
  /**
   * The switch interval in effect when the run ended, ms: the configured one, or the last value
   * given to Executor.setSwitchInterval during the run.
   */
  switchIntervalMs: number;
  /** Every switch interval the run used, in the order they took effect (the configured one first). */
  switchIntervalsMs: number[];
  /**
   * From the first task handed out to the last result; in a process pool with a start method
   * that includes its parent starting the processes (real work, never the browser's worker
   * creation).
   */
  wallMs: number;
  /** The sequential baseline's wall time when one was given, else null. */
  baselineWallMs: number | null;
  /** baselineWallMs / wallMs, or null without a baseline. */
  speedup: number | null;
  /** speedup / min(workers, cores), or null without a baseline. */
  efficiency: number | null;
  /** Share of wall time a GIL was held, averaged over GILs; null when free-threaded (core/stats.ts). */
  lockHeldShare: number | null;
  /** Times a GIL passed to a different thread (CPython's switch_number), summed over GILs. */
  switches: number;
  /** Time two or more threads truly computed at once (running or in a C call). */
  overlapMs: number;
  threads: ThreadStats[];
  handoff: HandoffStats | null;
  startup: {
    /**
     * Process pools: this browser's creation of each worker (creation until it answered, measured
     * when the worker was first created; warm workers are reused). A browser cost CPython does
     * not have, so never inside wallMs.
     */
    measuredMs: number[];
    /** Whether the modelled start-up (below) is inside wallMs: process pools with a start method. */
    includedInWall: boolean;
    /**
     * JIT warm-up per worker before its first task, ms (0 when already warm). A JS-engine cost
     * CPython does not have, so never inside wallMs; shown on the timeline as "starting".
     */
    warmupMs: number[];
    /**
     * CPython's start-up of the pool, clearly modelled: its parent (a lane of its own, labelled
     * MainProcess) computes `perProcessMs` per process (CPython's measured cost, sized on this
     * device), one process after another, so `totalMs` of work; `workedMs` is how long that took
     * on this run (its lane's `starting` time), inside wallMs. Null if none.
     */
    modelled: {
      modelled: true;
      method: StartMethod;
      perProcessMs: number;
      totalMs: number;
      workedMs: number;
      source: string;
    } | null;
  };
  /**
   * Process pools with a start method: CPython's parent-side cost of sending each task and taking
   * its result back, modelled by a worker that computes it for one task after another (CPU work
   * sized on this device to `perTaskMs`; the processes wait for it, inside wallMs); null if none.
   */
  sending: {
    modelled: true;
    perTaskMs: number;
    /** perTaskMs × the tasks the parent sent. */
    totalMs: number;
    /** Tasks the modelled parent sent (every task of a run that finished). */
    sentTasks: number;
    source: string;
  } | null;
  copy: {
    /** shared-memory: threads read the input in place; structured-clone: copied to each process. */
    method: 'shared-memory' | 'structured-clone';
    /** Input bytes copied to workers. */
    bytes: number;
    /** Sum over tasks of post → arrival in the worker (copy + message delivery). */
    argsMs: number;
    /** Sum over tasks of worker return → arrival on the main thread. */
    resultsMs: number;
  };
  /** Each task's checksum, in submission order. */
  values: number[];
  /** Race workload only: increments expected vs. what the shared counter shows. */
  race: { expected: number; actual: number; lost: number } | null;
  timeline: TimelineSnapshot;
}

/** Raw measurements an executor collects during a run. */
export interface RunRaw {
  config: RunConfig;
  size: number;
  calibrated: boolean;
  cores: number;
  wallMs: number;
  baselineWallMs: number | null;
  snapshot: TimelineSnapshot;
  switches: number;
  /** Switch intervals used, in order (at least the configured one). */
  switchIntervalsMs: number[];
  handoffsUs: number[];
  tasksPerLane: number[];
  startupMs: number[];
  warmupMs: number[];
  copyBytes: number;
  argsMs: number;
  resultsMs: number;
  values: number[];
  counter: number;
  raceExpected: number;
  /** Tasks a process pool's modelled parent sent, or null without one. */
  parentSent: number | null;
}

/** Builds the public result from a run's raw measurements. */
export function buildResult(raw: RunRaw): RunResult {
  const c = raw.config;
  // Clocks of different workers differ by µs; order by the exact global event sequence first.
  const snapshot = inEventOrder(raw.snapshot);
  // The workers' lanes: a process pool's parent (its own lane) is not one of the pool's workers.
  const threads = threadStats(snapshot, raw.wallMs, raw.tasksPerLane).filter(
    (_, i) => snapshot.lanes[i]!.kind !== 'parent',
  );
  const speedup =
    raw.baselineWallMs !== null && raw.wallMs > 0 ? raw.baselineWallMs / raw.wallMs : null;
  const perProcess = c.startMethod === 'none' ? 0 : START_METHOD_MODEL_MS[c.startMethod];
  const parentLane = snapshot.lanes.find((l) => l.kind === 'parent');
  return {
    mode: c.mode,
    executor: c.executor,
    workers: c.workers,
    tasks: c.tasks,
    cores: raw.cores,
    workload: {
      name: c.workload.name,
      size: raw.size,
      unit: sizeUnit(c.workload.name),
      calibrated: raw.calibrated,
    },
    switchIntervalMs: raw.switchIntervalsMs.at(-1) ?? c.switchIntervalMs,
    switchIntervalsMs: raw.switchIntervalsMs.length ? raw.switchIntervalsMs : [c.switchIntervalMs],
    wallMs: raw.wallMs,
    baselineWallMs: raw.baselineWallMs,
    speedup,
    efficiency: speedup === null ? null : speedup / Math.min(c.workers, raw.cores),
    lockHeldShare: lockHeldShare(snapshot, raw.wallMs),
    switches: raw.switches,
    // Among the pool's workers: the parent sending beside one process is not the pool in parallel.
    overlapMs: concurrentMs({
      ...snapshot,
      lanes: snapshot.lanes.filter((l) => l.kind !== 'parent'),
    }),
    threads,
    handoff: handoffStats(raw.handoffsUs),
    startup: {
      measuredMs: raw.startupMs,
      includedInWall: c.executor === 'processes' && perProcess > 0,
      warmupMs: raw.warmupMs,
      modelled:
        perProcess === 0
          ? null
          : {
              modelled: true,
              method: c.startMethod,
              perProcessMs: perProcess,
              totalMs: perProcess * c.workers,
              workedMs: parentLane?.totalsMs.starting ?? 0,
              source: START_METHOD_MODEL_SOURCE,
            },
    },
    sending:
      raw.parentSent === null
        ? null
        : {
            modelled: true,
            perTaskMs: SEND_MODEL_MS,
            totalMs: SEND_MODEL_MS * raw.parentSent,
            sentTasks: raw.parentSent,
            source: SEND_MODEL_SOURCE,
          },
    copy: {
      method: c.executor === 'processes' ? 'structured-clone' : 'shared-memory',
      bytes: raw.copyBytes,
      argsMs: raw.argsMs,
      resultsMs: raw.resultsMs,
    },
    values: raw.values,
    race:
      c.workload.name === 'race'
        ? { expected: raw.raceExpected, actual: raw.counter, lost: raw.raceExpected - raw.counter }
        : null,
    timeline: snapshot,
  };
}
