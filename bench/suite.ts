/**
 * The benchmark itself, shared by Node (bench/run.mjs imports it natively) and Chromium (the
 * browser harness bundles it), so both halves measure exactly the same thing.
 */
import { percentile, type Runtime, type RunResult } from '../src/runtime/index.ts';
import { STATE, TimelineWriter, createTimeline } from '../src/runtime/timeline.ts';

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
}

/** Modes compared at each worker count. */
export const BENCH_MODES = ['sequential', 'gil', 'free-threaded', 'processes'] as const;

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
  /** Process pools: median measured worker start-up, ms (inside wallMs). */
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
  /** Timeline recording cost as a share of the GIL runs' work, % (events × ns per event). */
  recordingPct: number;
  recordNs: number;
  rows: BenchRow[];
}

/** ns per timeline event, measured by recording `n` events on this thread. */
export function measureRecordNs(n = 200_000): number {
  const d = createTimeline(1, 1024);
  const seq = new Int32Array(new SharedArrayBuffer(4));
  const w = new TimelineWriter(
    d,
    0,
    () => performance.now(),
    () => Atomics.add(seq, 0, 1),
  );
  const t0 = performance.now();
  for (let i = 0; i < n; i++) w.record(i & 1 ? STATE.running : STATE.waiting, 0);
  return ((performance.now() - t0) * 1e6) / n;
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
  const events = gilRuns.reduce(
    (a, r) => a + r.timeline.lanes.reduce((b, l) => b + l.events.length + l.dropped, 0),
    0,
  );
  const busy = gilRuns.reduce((a, r) => a + r.threads.reduce((b, t) => b + t.busyMs, 0), 0);
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
    recordingPct: busy > 0 ? (100 * events * recordNs * 1e-6) / busy : 0,
    recordNs,
    rows,
  };
}
