/**
 * The benchmark itself, shared by Node (bench/run.mjs imports it natively) and Chromium (the
 * browser harness bundles it), so both halves measure exactly the same thing.
 */
import { MODES, percentile, type Runtime, type RunResult } from '../src/runtime/index.ts';
import { measureRecordNs, measureRecording, type RecordingCase } from './recording.ts';
import { runShapes, type ShapeRow } from './shapes.ts';

/** Benchmark knobs. */
export interface SuiteOptions {
  /** Duration of one countdown task, ms (calibrated on the device). */
  targetMs: number;
  /** Repetitions of every variant; medians are reported. */
  reps: number;
  /** Largest worker count (normally the core count). */
  maxWorkers: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /**
   * Only the CPython-shaped runs (bench --shapes-only, and the loaded pass of bench --loaded):
   * rows, lock, hand-off and recording figures are skipped and left empty.
   */
  shapesOnly?: boolean;
  /** Only these CPython-shaped rows, by key (bench --only tiny-tasks,race-callBetween); all if unset. */
  only?: string[];
}

/** Modes compared at each worker count: the plain loop, then every runtime mode. */
export const BENCH_MODES = ['sequential', ...MODES] as const;

/** One (workers, mode) cell: median wall time and its ratios. */
export interface BenchRow {
  workers: number;
  mode: (typeof BENCH_MODES)[number];
  wallMs: number;
  wallsMs: number[];
  /** Sequential median / this median. */
  speedup: number;
  /** speedup / min(workers, cores). */
  efficiency: number;
  /** Process pools: median measured creation of a worker, ms (never inside wallMs). */
  startupMs: number | null;
}

/** Everything one environment measured. */
export interface SuiteResult {
  env: string;
  cores: number;
  countdownSize: number;
  /** ns per uncontended acquire + release (in a worker). */
  lockNs: number;
  /** Hand-off latency over the GIL runs with ≥ 2 workers, µs (medians of per-run percentiles). */
  handoff: { p50Us: number; p99Us: number; samples: number };
  /** ns per timeline event, one thread recording alone (no contention). */
  recordNs: number;
  /** Recording's cost in its worst cases: the same run with recording on vs off. */
  recording: RecordingCase[];
  rows: BenchRow[];
  /** The CPython reference's other experiments, run with the widget's presets. */
  shapes: ShapeRow[];
}

const median = (xs: number[]): number => percentile(xs, 50);

/** Runs the whole suite on `rt`; variants are interleaved so load bursts hit all of them alike. */
export async function runSuite(
  rt: Runtime,
  env: string,
  cores: number,
  o: SuiteOptions,
): Promise<SuiteResult> {
  const log = o.log ?? (() => undefined);
  if (o.shapesOnly) {
    const shapes = await runShapes(rt, o.reps, (l) => log(`[${env}] ${l}`), o.only);
    const none = { p50Us: NaN, p99Us: NaN, samples: 0 };
    return {
      env,
      cores,
      countdownSize: NaN,
      lockNs: NaN,
      handoff: none,
      recordNs: NaN,
      recording: [],
      rows: [],
      shapes,
    };
  }
  const size = (await rt.calibrate('countdown', o.targetMs)).size;
  log(`[${env}] countdown size ${size} for ~${o.targetMs} ms`);
  const lockNs = await rt.measureLock(2_000_000);
  const recordNs = measureRecordNs();
  const walls = new Map<string, number[]>();
  const startups = new Map<string, number[]>();
  const gilRuns: RunResult[] = [];
  const workload = { name: 'countdown' as const, size };
  for (let rep = 0; rep < o.reps; rep++) {
    for (let workers = 1; workers <= o.maxWorkers; workers++) {
      for (const mode of BENCH_MODES) {
        const config =
          mode === 'sequential'
            ? { executor: 'sequential' as const, workers, workload }
            : { mode, workers, workload };
        const r = await rt.runExperiment(config).result;
        const key = `${workers}/${mode}`;
        walls.set(key, [...(walls.get(key) ?? []), r.wallMs]);
        if (mode === 'processes')
          startups.set(key, [...(startups.get(key) ?? []), median(r.startup.measuredMs)]);
        if (mode === 'gil' && workers >= 2) gilRuns.push(r);
      }
    }
    log(`[${env}] round ${rep + 1}/${o.reps} done`);
  }
  const rows: BenchRow[] = [];
  for (let workers = 1; workers <= o.maxWorkers; workers++) {
    const seq = median(walls.get(`${workers}/sequential`)!);
    for (const mode of BENCH_MODES) {
      const ws = walls.get(`${workers}/${mode}`)!;
      const speedup = seq / median(ws);
      const st = startups.get(`${workers}/${mode}`);
      rows.push({
        workers,
        mode,
        wallMs: median(ws),
        wallsMs: ws,
        speedup,
        efficiency: speedup / Math.min(workers, cores),
        startupMs: st ? median(st) : null,
      });
    }
  }
  log(`[${env}] recording cost: the same runs with recording on and off`);
  const recording = await measureRecording(rt, {
    targetMs: o.targetMs,
    reps: 2 * o.reps,
    workers: o.maxWorkers,
    countdownSize: size,
    recordNs,
  });
  const shapes = await runShapes(rt, o.reps, (l) => log(`[${env}] ${l}`), o.only);
  const handoffs = gilRuns.flatMap((r) => (r.handoff ? [r.handoff] : []));
  return {
    env,
    cores,
    countdownSize: size,
    lockNs,
    handoff: {
      p50Us: median(handoffs.map((h) => h.p50Us)),
      p99Us: median(handoffs.map((h) => h.p99Us)),
      samples: handoffs.reduce((a, h) => a + h.count, 0),
    },
    recordNs,
    recording,
    rows,
    shapes,
  };
}
