/**
 * The CPython reference's other experiments (I/O threads, C code releasing the GIL, the race, the
 * convoy) run by the runtime, so the bench can print each figure beside CPython's. Every run comes
 * from a lesson preset through the widget's own mapping (resolvePreset → planRun → withSize →
 * plainLoop); only sizes, call counts and switch intervals are set to the reference's where the
 * runtime can take them. Each row's label says what is compared and where the shapes still differ.
 */
import { resolvePreset } from '../src/components/experiment/presets.ts';
import { plainLoop, planRun, withSize } from '../src/components/experiment/run-plan.ts';
import type { RunPlan } from '../src/components/experiment/run-plan.ts';
import reference from '../src/data/cpython-reference.json' with { type: 'json' };
import {
  convoyRate,
  ioCallsPerSecond,
  percentile,
  type Runtime,
  type RunResult,
} from '../src/runtime/index.ts';
import type { ExperimentSettings } from '../src/schemas/experiment.ts';
import type { RunConfigInput } from '../src/schemas/run-config.ts';

/** One compared figure: the runtime's median over the rounds, and CPython's figure. */
export interface ShapeRow {
  key: string;
  label: string;
  /** Median of `runs`. */
  value: number;
  runs: number[];
  cpython: number | null;
  /**
   * Speed-up rows: the widget's run config (each round is one of its pairs), so the bench can
   * grade the rounds with the widget's own rules (speedLimits, speedVerdict) and say whether the
   * figure a reader would see is right or said to be too close to call.
   */
  speedConfig?: RunConfigInput;
}

const ref = reference.experiments;

/** A preset's settings with some changed, planned exactly as the widget plans it. */
function plan(preset: string, change: Partial<ExperimentSettings> = {}): RunPlan {
  return planRun({ ...resolvePreset({ preset }).settings, ...change });
}

/** Sizes a plan's work for `targetMs` per task like the widget does (calibration on this device). */
async function sized(rt: Runtime, p: RunPlan): Promise<RunPlan> {
  const { targetMs, size: _fixed, ...workload } = p.config.workload;
  if (targetMs === undefined) return p;
  const size = (await rt.calibrate(workload, targetMs)).size;
  return { ...p, config: withSize(p.config, size) };
}

/** Runs the config's own tasks (`own: false`: none) plus the plan's extra ones, as the widget does. */
async function execute(rt: Runtime, p: RunPlan, own = true): Promise<RunResult> {
  const ex = rt.executor(p.config);
  const n = own ? (p.config.tasks ?? 1) : 0;
  const futures = [
    ...Array.from({ length: n }, () => ex.submit()),
    ...p.extraTasks.map((t) => ex.submit(t)),
  ];
  await Promise.all(futures.map((f) => f.result()));
  return ex.shutdown();
}

/** Pairs measured so far: their order alternates, as the widget's do (paired-runs.ts). */
let pairsMeasured = 0;

/**
 * Speed-up against the plain loop doing the same work (the widget's baseline), the run first in
 * every other pair, so a machine getting busier or quieter weighs on both sides alike.
 */
async function speedup(rt: Runtime, p: RunPlan, log?: (line: string) => void): Promise<number> {
  const loopPlan = { ...p, config: plainLoop(p.config), extraTasks: [] };
  const runFirst = pairsMeasured++ % 2 === 0;
  const first = await execute(rt, runFirst ? p : loopPlan);
  const second = await execute(rt, runFirst ? loopPlan : p);
  const [run, loop] = runFirst ? [first, second] : [second, first];
  log?.(pieces(loop, run));
  return loop.wallMs / run.wallMs;
}

/**
 * What one pair's figure is made of, to compare engines piece by piece: the plain loop per task,
 * the run's wall, its modelled start-up and sending, and how long a task took inside a worker.
 */
function pieces(loop: RunResult, run: RunResult): string {
  const tasks = run.tasks;
  const inWorker = run.timeline.lanes
    .filter((l) => l.kind !== 'parent')
    .flatMap((l) => {
      const spans: number[] = [];
      let from = NaN;
      for (const e of l.events) {
        if (e.state === 'running') from = Number.isNaN(from) ? e.t : from;
        else if (!Number.isNaN(from) && e.state === 'idle') {
          spans.push(e.t - from);
          from = NaN;
        }
      }
      return spans;
    })
    .sort((a, b) => a - b);
  const f = (x: number, d = 3) => x.toFixed(d);
  return [
    `size ${run.workload.size}`,
    `loop ${f(loop.wallMs, 1)} ms (${f(loop.wallMs / tasks)} ms/task)`,
    `run ${f(run.wallMs, 1)} ms (${f(run.wallMs / tasks)} ms/task)`,
    `start-up ${f(run.startup.modelled?.workedMs ?? 0, 1)} ms (modelled ${f(run.startup.modelled?.totalMs ?? 0, 1)})`,
    `sending ${f(run.sending?.totalMs ?? 0, 1)} ms`,
    `task in a worker p50 ${inWorker.length ? f(percentile(inWorker, 50)) : '—'} ms`,
    `args ${f(run.copy.argsMs / tasks)} ms/task, results ${f(run.copy.resultsMs / tasks)} ms/task`,
  ].join(', ');
}

/** Shares are printed as % lost. */
const lostPct = (r: RunResult): number =>
  r.race ? (100 * r.race.lost) / Math.max(1, r.race.expected) : NaN;

interface Shape {
  key: string;
  label: string;
  cpython: number | null;
  measure: (rt: Runtime, log: (line: string) => void) => Promise<number>;
  speedConfig?: RunConfigInput;
}

const io = ref.ioThreads;
const sha = ref.native.sha256;
const race = ref.race;
const convoy = (ms: number, cpu: number) =>
  ref.convoy.measurements.find((m) => m.switchIntervalMs === ms && m.cpuThreads === cpu);

/** Present once measure:cpython has run with the tiny-tasks shape (older references lack it). */
const tiny = (
  ref as {
    tinyTasks?: { tasks: number; loop: { medianS: number }; pool: { speedup: number } };
  }
).tinyTasks;
/**
 * One CPython tiny task, ms, as it really ran (its plain loop ÷ tasks: 0.08 ms where it aimed at
 * 0.1): the widget's tasks are sized to it, since the sending cost weighs against the task's length.
 */
const tinyTaskMs = tiny ? (tiny.loop.medianS * 1000) / tiny.tasks : undefined;

const countdown = ref.countdown;
/** One CPython countdown task, ms: the widget's tasks are sized to it. */
const countdownTaskMs = countdown.once.medianS * 1000;

const SHAPES: Shape[] = [
  {
    key: 'threads-gil',
    label: `countdown: 2 tasks of ~${countdownTaskMs.toFixed(0)} ms on 2 threads, GIL on, speed-up vs a plain loop`,
    cpython: 1 / countdown.threads2.ratioVsSequential,
    speedConfig: plan('countdown-gil').config,
    measure: async (rt) =>
      speedup(rt, await sized(rt, plan('countdown-gil', { taskMs: countdownTaskMs }))),
  },
  {
    key: 'processes',
    label: `countdown: 2 tasks of ~${countdownTaskMs.toFixed(0)} ms on 2 processes (fork), speed-up vs a plain loop, fork start-up inside (the parent's real work)`,
    cpython: 1 / countdown.processes2.fork.ratioVsSequential,
    speedConfig: plan('cpu-processes').config,
    measure: async (rt) =>
      speedup(rt, await sized(rt, plan('cpu-processes', { taskMs: countdownTaskMs }))),
  },
  {
    key: 'tiny-tasks',
    label: `tiny tasks: ${tiny?.tasks ?? 1000} countdowns of ~${(tinyTaskMs ?? 0.1).toFixed(2)} ms on 2 processes (fork), speed-up vs a plain loop, fork start-up inside (the parent's real work)`,
    cpython: tiny?.pool.speedup ?? null,
    speedConfig: plan('tiny-tasks').config,
    measure: async (rt, log) =>
      speedup(
        rt,
        await sized(rt, plan('tiny-tasks', tinyTaskMs ? { taskMs: tinyTaskMs } : {})),
        (l) => log(`tiny-tasks pair: ${l}`),
      ),
  },
  {
    key: 'io-threads',
    label: `I/O threads: ${io.threads} thr × ${io.sleepsPerThread} waits of ${io.sleepS * 1000} ms, speed-up vs one after another (preset: 1 × 250 ms)`,
    cpython: io.threaded.speedup,
    speedConfig: plan('io-threads', { workers: io.threads }).config,
    measure: async (rt) => {
      const p = plan('io-threads', { workers: io.threads, taskMs: io.sleepS * 1000 });
      const w = { ...p.config.workload, calls: io.sleepsPerThread };
      return speedup(rt, { ...p, config: { ...p.config, workload: w } });
    },
  },
  {
    key: 'native',
    label: `native: ${ref.native.tasks} tasks on ${ref.native.threads} thr, GIL released, speed-up (ours FNV-1a over 1 MiB; CPython sha256)`,
    cpython: sha.speedup,
    speedConfig: plan('native-release').config,
    measure: async (rt) => {
      const taskMs = (sha.sequential.medianS * 1000) / ref.native.tasks;
      return speedup(rt, await sized(rt, plan('native-release', { taskMs })));
    },
  },
  ...(
    [
      ['plain', 'counter += 1', false, false],
      ['callBetween', 'a call between read and write', true, false],
      ['locked', 'with a lock', false, true],
    ] as const
  ).map(([variant, what, callBetween, useLock]) => ({
    key: `race-${variant}`,
    label: `race: ${race.threads} thr × ${race.incrementsPerThread.toLocaleString('en')} increments, % lost, ${what}`,
    cpython: 100 * race.variants[variant].medianLostShare,
    measure: async (rt: Runtime) => {
      const p = plan('race-counter', { workers: race.threads, callBetween, useLock });
      return lostPct(
        await execute(rt, { ...p, config: withSize(p.config, race.incrementsPerThread) }),
      );
    },
  })),
  ...[5, 1, 0.1].map((ms) => ({
    key: `convoy-${ms}`,
    label: `convoy ${ms} ms: I/O round trips/s beside 1 CPU thread ÷ alone (ours 0.2 ms sleeps; CPython socket, server 0.2 ms)`,
    cpython: convoy(ms, 1)?.ratioVsAlone ?? null,
    measure: async (rt: Runtime) => {
      const p = await sized(rt, plan('convoy', { switchIntervalMs: ms }));
      const beside = convoyRate((await execute(rt, p)).timeline).perSecond;
      const alone = ioCallsPerSecond((await execute(rt, p, false)).timeline);
      return beside !== null && alone !== null ? beside / alone : NaN;
    },
  })),
];

/**
 * Runs every shape (or only those keyed in `only`) `reps` times, shapes interleaved within a round,
 * and takes medians.
 */
export async function runShapes(
  rt: Runtime,
  reps: number,
  log: (line: string) => void,
  only?: readonly string[],
): Promise<ShapeRow[]> {
  const unknown = only?.filter((k) => !SHAPES.some((s) => s.key === k)) ?? [];
  if (unknown.length) {
    throw new Error(`no bench shape ${unknown.join(', ')}: ${SHAPES.map((s) => s.key).join(', ')}`);
  }
  const shapes = only?.length ? SHAPES.filter((s) => only.includes(s.key)) : SHAPES;
  const runs = new Map<string, number[]>(shapes.map((s) => [s.key, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const s of shapes) runs.get(s.key)!.push(await s.measure(rt, log));
    log(`CPython-shaped runs: round ${rep + 1}/${reps} done`);
  }
  return shapes.map((s) => {
    const xs = runs.get(s.key)!;
    return {
      key: s.key,
      label: s.label,
      value: percentile(xs, 50),
      runs: xs,
      cpython: s.cpython,
      ...(s.speedConfig ? { speedConfig: s.speedConfig } : {}),
    };
  });
}
