/**
 * What recording the timeline costs, in the runs where it costs most. Method: the same run with
 * recording on and off (RunOptions.recordTimeline, a bench-only switch), pairs interleaved with
 * alternating order, median wall times compared. For reference it also gives the old estimate:
 * one thread's ns per event (recording alone, no contention) × the run's events.
 */
import {
  STATE,
  TimelineWriter,
  createTimeline,
  percentile,
  type RunConfigInput,
  type Runtime,
  type ThreadMode,
} from '../src/runtime/index.ts';

/** One worst case, measured. */
export interface RecordingCase {
  label: string;
  offMs: number;
  onMs: number;
  /** (on − off) / off, % (can come out negative: noise larger than the cost). */
  pct: number;
  /** Events per recorded run (median), dropped ones included. */
  events: number;
  /** (on − off) per event, ns. */
  nsPerEvent: number;
  /** One thread's ns per event × events / off wall time, %: the estimate without contention. */
  estimatePct: number;
  /**
   * Counts for the "< 3 % of the work" target. Calls of 0 ms are not work at all (recording is
   * then most of what happens): shown for what they say about the cost per event, not targeted.
   */
  targeted: boolean;
}

/** ns per timeline event, measured by recording `n` events on this thread alone. */
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

/** Wall time of one run, and its events when recorded. */
async function once(rt: Runtime, config: RunConfigInput, record: boolean) {
  const r = await rt.runExperiment(config, { recordTimeline: record }).result;
  const events = r.timeline.lanes.reduce((a, l) => a + l.events.length + l.dropped, 0);
  return { wallMs: r.wallMs, events };
}

/** I/O calls per task so a run of `config` takes about `targetMs` (median of three probes, warm). */
async function callsFor(rt: Runtime, config: RunConfigInput, targetMs: number): Promise<number> {
  const probe = 500;
  await once(rt, withCalls(config, probe), false); // warm-up: the first probe runs cold code
  const walls: number[] = [];
  for (let i = 0; i < 3; i++) walls.push((await once(rt, withCalls(config, probe), false)).wallMs);
  const wallMs = median(walls);
  return Math.min(100_000, Math.max(probe, Math.round((probe * targetMs) / Math.max(wallMs, 1))));
}

function withCalls(config: RunConfigInput, calls: number): RunConfigInput {
  return { ...config, workload: { ...config.workload, calls } };
}

/**
 * The worst cases of real work: the shortest switch interval with threads contending (a switch
 * every few tens of µs), and I/O calls as short as any lesson makes (0.2 ms, the convoy's server),
 * under the GIL and free-threaded (every event an Atomics.add on one shared sequence counter from
 * all cores). Then, not targeted, the same calls of 0 ms: recording with nothing else to do.
 */
export async function measureRecording(
  rt: Runtime,
  o: { targetMs: number; reps: number; workers: number; countdownSize: number; recordNs: number },
): Promise<RecordingCase[]> {
  const workers = Math.max(2, o.workers);
  const io = async (mode: ThreadMode, ms: number): Promise<RunConfigInput> => {
    const config: RunConfigInput = { mode, workers, workload: { name: 'io', size: ms } };
    return withCalls(config, await callsFor(rt, config, o.targetMs));
  };
  const calls = (c: RunConfigInput): number => (c.workload as { calls: number }).calls;
  const cases: [string, RunConfigInput, boolean][] = [
    [
      `GIL, ${workers} threads of countdown, 0.05 ms switch interval`,
      {
        mode: 'gil',
        workers,
        switchIntervalMs: 0.05,
        workload: { name: 'countdown', size: o.countdownSize },
      },
      true,
    ],
  ];
  for (const ms of [0.2, 0]) {
    const gil = await io('gil', ms);
    const free = await io('free-threaded', ms);
    const note = ms === 0 ? ' [no work: not targeted]' : '';
    cases.push(
      [`GIL, ${workers} thr × ${calls(gil)} I/O calls of ${ms} ms${note}`, gil, ms > 0],
      [`free-threaded, ${workers} thr × ${calls(free)} I/O calls of ${ms} ms${note}`, free, ms > 0],
    );
  }
  const out: RecordingCase[] = [];
  for (const [label, config, targeted] of cases) {
    const off: number[] = [];
    const on: number[] = [];
    const events: number[] = [];
    await once(rt, config, true); // warms this shape's code paths up in every worker
    for (let rep = 0; rep < o.reps; rep++) {
      // Alternate which goes first so a slow drift or a load burst does not favour one side.
      for (const record of rep % 2 ? [true, false] : [false, true]) {
        const r = await once(rt, config, record);
        (record ? on : off).push(r.wallMs);
        if (record) events.push(r.events);
      }
    }
    const offMs = median(off);
    const onMs = median(on);
    const n = median(events);
    out.push({
      label,
      offMs,
      onMs,
      pct: (100 * (onMs - offMs)) / offMs,
      events: n,
      nsPerEvent: n > 0 ? ((onMs - offMs) * 1e6) / n : 0,
      estimatePct: (100 * n * o.recordNs * 1e-6) / offMs,
      targeted,
    });
  }
  return out;
}
