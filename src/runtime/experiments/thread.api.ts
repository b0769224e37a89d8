/**
 * The code that runs inside a worker ("a Python thread" or "a process"), as a plain module so Node
 * tests can load it in worker_threads. Every method is synchronous: while a task runs, the worker's
 * event loop is blocked, which is why cancellation travels through shared memory, not messages.
 */
import type { WorkloadConfig, WorkloadName } from '../../schemas/run-config.ts';
import { COUNTER, CANCEL, CancelledError, PARENT_SENT, createControl } from '../core/control.ts';
import { Interp, type ThreadSetup } from '../core/interp.ts';
import { STATE, createTimeline, type TimelineDescriptor } from '../core/timeline.ts';
import { WORKLOAD_IMPLS, needsData, waitsOnly } from './workloads/index.ts';
import { fillBytes } from './workloads/hash.ts';
import { awaitSent, awaitStarted, runParent, type ParentState } from './parent-model.ts';

/** One task as sent to a worker. */
export interface TaskSpec {
  index: number;
  count: number;
  workload: WorkloadConfig & { size: number };
  /** Per-task copy of the input (processes), or null to use the shared one from setup. */
  data: Uint8Array | null;
  /** Main-thread time just before posting, ms on the run clock (for copy cost). */
  sentAt: number;
  /**
   * Process pools with a modelled parent: this task's place in the order the pool hands tasks
   * out (0-based); the worker waits until the parent has started its process and sent this many
   * tasks and one more.
   */
  sendIndex?: number;
}

/** What the worker that plays a process pool's parent needs (parent-model.ts). */
export interface ParentSetup {
  control: Int32Array;
  timeline: TimelineDescriptor;
  /** The parent's own lane ("MainProcess"). */
  lane: number;
  /** Processes it starts before it sends anything. */
  processes: number;
  /** One process's start-up: CPython's measured cost, sized on this device. */
  start: WorkloadConfig & { size: number };
  /** Sending one task and taking its result back, sized likewise; null: costs nothing. */
  send: (WorkloadConfig & { size: number }) | null;
  /** Bench only: false records nothing. */
  recordTimeline?: boolean;
}

/** How the parent's states are drawn: sending is the parent's Python running. */
const PARENT_STATE: Record<ParentState, number> = {
  starting: STATE.starting,
  sending: STATE.running,
  waiting: STATE.idle,
};

/** What a worker sends back for a task. */
export interface TaskOutcome {
  index: number;
  lane: number;
  /** The workload's checksum. */
  value: number;
  /** When the task arrived in the worker (arguments copied and decoded), ms. */
  receivedAt: number;
  startedAt: number;
  endedAt: number;
  /** Main-thread time when the task was posted (echoed back), ms. */
  sentAt: number;
}

/** What a worker reports when it leaves a run. */
export interface ThreadReport {
  lane: number;
  tasks: number;
  /** Hand-off latencies observed when this thread took the GIL, µs. */
  handoffsUs: number[];
}

/** Outcome of calibrating one workload. */
export interface Calibration {
  workload: WorkloadName;
  /** Size that should take about `targetMs`. */
  size: number;
  targetMs: number;
  /** Time of the largest trial run, and its size, for transparency. */
  trialMs: number;
  trialSize: number;
}

/**
 * Shortest calibration trial, ms: a hundred ticks of the coarsest clock it may run on (a
 * cross-origin-isolated page's performance.now() moves in steps of 5 µs in Chromium), and still
 * short enough that on a busy machine most trials run within one time slice of the OS.
 */
const MIN_PROBE_MS = 0.5;
/** Trials a size is timed with; the fastest counts. More for short trials, which cost little. */
const TRIALS = (probeMs: number): number => (probeMs < 5 ? 7 : 3);

/** Workloads this worker's JIT has already been warmed for. */
const warmed = new Set<string>();

/** A private, uncontended interpreter for warm-up and calibration (never touches a run's memory). */
function privateInterp(lock: number | null): { it: Interp; control: Int32Array } {
  const control = createControl(1, 5);
  const it = new Interp({
    control,
    timeline: createTimeline(1, 256),
    lane: 0,
    lock,
    data: null,
    createdAt: null,
    warmup: null,
  });
  return { it, control };
}

/** Time of one task of `size` on a private interpreter, ms. */
function trial(
  p: { it: Interp; control: Int32Array },
  workload: WorkloadConfig,
  size: number,
  data: Uint8Array | null,
): number {
  const t0 = p.it.now();
  runTask(
    p.it,
    { index: 0, count: 1, workload: { ...workload, size }, data, sentAt: t0 },
    data,
    t0,
  );
  Atomics.store(p.control, COUNTER, 0);
  return p.it.now() - t0;
}

/**
 * Runs `workload` until its speed stops improving (JIT tiers up: Chromium workers need a few hundred
 * ms of hot code), so timed work runs at steady speed, as CPython's does from the first bytecode.
 */
function warmUp(
  workload: WorkloadConfig,
  lock: number | null,
  minMs: number,
  cancelled = () => false,
): number {
  const key = `${workload.name}/${lock === null ? 'free' : 'gil'}`;
  if (waitsOnly(workload.name) || warmed.has(key)) return 0;
  warmed.add(key);
  const p = privateInterp(lock);
  const data = needsData(workload.name)
    ? fillBytes(new Uint8Array(Math.min(workload.bytes, 1 << 16)))
    : null;
  const w = {
    ...workload,
    bytes: data?.length ?? workload.bytes,
    callBetween: true,
    useLock: true,
  };
  const t0 = p.it.now();
  let size = WORKLOAD_IMPLS[workload.name].calibrationStart;
  let best = Infinity;
  let stale = 0;
  // Speed can plateau at a middle tier before jumping, so keep going for at least minMs.
  while (p.it.now() - t0 < minMs * 3 && (stale < 4 || p.it.now() - t0 < minMs) && !cancelled()) {
    const ms = trial(p, w, size, data);
    if (ms < 8) size *= 2;
    else if (ms / size < best * 0.95) {
      best = ms / size;
      stale = 0;
    } else stale++;
  }
  return p.it.now() - t0;
}

let interp: Interp | null = null;
let setup: ThreadSetup | null = null;
let lane = -1;
let tasks = 0;
/** Process pools with a modelled parent: whether the parent has started this process yet. */
let started = false;

function current(): Interp {
  if (interp === null) throw new Error('worker used before init()');
  return interp;
}

/** Runs one task on `it`, always leaving the GIL released and the lane idle. */
function runTask(it: Interp, task: TaskSpec, data: Uint8Array | null, at: number): TaskOutcome {
  const startedAt = it.now();
  it.beginTask(task.index);
  try {
    const value = WORKLOAD_IMPLS[task.workload.name].run(
      task.workload.size,
      { index: task.index, count: task.count, workload: task.workload, data },
      it,
    );
    return {
      index: task.index,
      lane,
      value,
      receivedAt: at,
      startedAt,
      endedAt: it.now(),
      sentAt: task.sentAt,
    };
  } finally {
    it.endTask();
  }
}

/** The worker API exposed with comlink. */
export const api = {
  /** Answers once the worker has loaded: the main thread times its start-up with this. */
  ping(): boolean {
    return true;
  },

  /** Joins a run: warms the JIT up (before the run's clock starts); returns how long that took, ms. */
  init(s: ThreadSetup): number {
    setup = s;
    lane = s.lane;
    tasks = 0;
    started = false;
    interp = new Interp(s);
    if (s.createdAt !== null) interp.record(STATE.starting, s.createdAt);
    const cancelled = (): boolean => Atomics.load(s.control, CANCEL) !== 0;
    const lock = s.lock === null ? null : 0;
    const warm = s.warmup === null ? 0 : warmUp(s.warmup.workload, lock, s.warmup.minMs, cancelled);
    interp.record(STATE.idle);
    return warm;
  },

  /** Runs one task to completion (or cancellation) and reports its timings. */
  run(task: TaskSpec): TaskOutcome {
    const it = current();
    const receivedAt = it.now();
    tasks++;
    if (task.sendIndex !== undefined) {
      // A process pool's parent (modelled, in a worker of its own: parent-model.ts) first starts
      // its processes one after another, this one `starting` from when the run's clock started
      // (its first task was posted then) until the parent has; then it sends tasks one at a time.
      if (!started) {
        it.record(STATE.starting, Math.min(task.sentAt, receivedAt));
        awaitStarted(it.control, lane);
        started = true;
        it.record(STATE.idle);
      }
      awaitSent(it.control, task.sendIndex);
      // Stopped while waiting: the task never arrived, so it never runs (not even a blip).
      it.checkCancel();
    }
    return runTask(it, task, task.data ?? setup?.data ?? null, receivedAt);
  },

  /** Leaves the run: records `done`, returns this thread's report and forgets the run's buffers. */
  finish(): ThreadReport {
    const report: ThreadReport = { lane, tasks, handoffsUs: interp?.gil?.handoffsUs ?? [] };
    interp?.record(STATE.done);
    interp = null;
    setup = null;
    return report;
  },

  /** Finds the size for which one task of `workload` takes about `targetMs` here, at steady JIT speed. */
  calibrate(workload: WorkloadConfig, targetMs: number, warmupMs: number): Calibration {
    const name = workload.name;
    if (waitsOnly(name))
      return {
        workload: name,
        size: name === 'io' ? targetMs / workload.calls : targetMs,
        targetMs,
        trialMs: 0,
        trialSize: 0,
      };
    warmUp(workload, 0, warmupMs);
    const p = privateInterp(0);
    const data = needsData(name) ? fillBytes(new Uint8Array(workload.bytes)) : null;
    // A trial of at least MIN_PROBE_MS, so a tiny target (0.08 ms) is not scaled from a trial
    // only a few ticks of a coarse clock long.
    const probe = Math.min(Math.max(targetMs * 0.25, MIN_PROBE_MS), 60);
    let size = WORKLOAD_IMPLS[name].calibrationStart;
    let ms = trial(p, workload, size, data);
    while (ms < probe) {
      size = Math.ceil(size * Math.min(16, Math.max(2, probe / Math.max(ms, 0.01))));
      ms = trial(p, workload, size, data);
    }
    // The fastest of a few trials: noise on a shared machine only ever adds time.
    for (let k = 1; k < TRIALS(probe); k++) ms = Math.min(ms, trial(p, workload, size, data));
    const scaled = Math.max(1, Math.round((size * targetMs) / ms));
    return { workload: name, size: scaled, targetMs, trialMs: ms, trialSize: size };
  },

  /**
   * Gets this worker ready to play a process pool's parent (parent-model.ts): warms the JIT up on
   * `work` (before the run's clock starts, as every worker's warm-up is). Returns how long, ms.
   */
  warmParent(work: WorkloadConfig, warmupMs: number): number {
    return warmUp(work, null, warmupMs);
  },

  /**
   * Plays a process pool's parent until the run closes it (parent-model.ts), on a lane of its
   * own: starts the processes one after another (`start` once each), then for every task
   * submitted does `send` once (CPython's measured costs, sized on this device) and counts the
   * task sent. Returns how many it sent.
   */
  parent(s: ParentSetup): number {
    const it = new Interp({
      control: s.control,
      timeline: s.timeline,
      lane: s.lane,
      lock: null,
      data: null,
      createdAt: null,
      warmup: null,
      ...(s.recordTimeline === false ? { recordTimeline: false } : {}),
    });
    // The run's own interpreter: its eval breaker ends a long start-up at once on Stop.
    const work = (w: WorkloadConfig & { size: number }) =>
      WORKLOAD_IMPLS[w.name].run(w.size, { index: 0, count: 1, workload: w, data: null }, it);
    try {
      return runParent(s.control, s.processes, {
        start: () => work(s.start),
        send: () => s.send && work(s.send),
        state: (state) => it.record(PARENT_STATE[state]),
      });
    } catch (e) {
      if (e instanceof CancelledError) return Atomics.load(s.control, PARENT_SENT);
      throw e;
    } finally {
      it.record(STATE.done);
    }
  },

  /** Bench helper: ns per uncontended GIL take + drop in this worker. */
  measureLock(iterations: number): number {
    const gil = privateInterp(0).it.gil!;
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      gil.tryTake();
      gil.drop();
    }
    return ((performance.now() - t0) * 1e6) / iterations;
  },
};

/** The API type the main thread wraps with comlink. */
export type ThreadApi = typeof api;
