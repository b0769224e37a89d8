/**
 * Turning a finished run's timeline and worker reports into the numbers a lesson shows. Everything
 * here is pure, so it also works on a recorded timeline loaded from JSON.
 */
import { median } from './paired-stats.ts';
import { toSegments, type Segment, type ThreadState, type TimelineSnapshot } from './timeline.ts';

/** Hand-off latency distribution: from a holder's release to a waiter's take, µs. */
export interface HandoffStats {
  count: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  maxUs: number;
}

/** Per-thread (or per-process) figures. */
export interface ThreadStats {
  lane: number;
  label: string;
  tasks: number;
  /** Time computing: running Python code or inside a C call, ms. */
  busyMs: number;
  /** Time holding its GIL, ms (0 when free-threaded). */
  heldMs: number;
  /** heldMs / wallMs, or null without a GIL. */
  heldShare: number | null;
  /** Time waiting for the GIL, ms. */
  waitingMs: number;
  ioMs: number;
  nativeMs: number;
  /** Time blocked on a threading.Lock, ms. */
  blockedMs: number;
}

/** The p-th percentile (0–100) of `values`, nearest-rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Summary of hand-off samples (µs), or null if there were none. */
export function handoffStats(samples: readonly number[]): HandoffStats | null {
  if (samples.length === 0) return null;
  return {
    count: samples.length,
    p50Us: percentile(samples, 50),
    p99Us: percentile(samples, 99),
    meanUs: samples.reduce((a, b) => a + b, 0) / samples.length,
    maxUs: Math.max(...samples),
  };
}

/** Spans of every lane, in `states` only. */
export function spans(
  snapshot: TimelineSnapshot,
  states: readonly ThreadState[],
): (Segment & { lane: number })[] {
  return snapshot.lanes.flatMap((l) =>
    toSegments(l.events, snapshot.endMs)
      .filter((s) => states.includes(s.state))
      .map((s) => ({ ...s, lane: l.lane })),
  );
}

/**
 * The snapshot with event times made consistent with the global event order: each worker's clock
 * may be a few µs off another's, but a release always precedes the next acquire in `seq`. So an
 * event is never placed before an event that happened-before it. Shifts are µs at most.
 */
export function inEventOrder(snapshot: TimelineSnapshot): TimelineSnapshot {
  const all = snapshot.lanes.flatMap((lane, l) => lane.events.map((e, i) => ({ l, i, e })));
  all.sort((a, b) => a.e.seq - b.e.seq);
  const times = snapshot.lanes.map((lane) => lane.events.map((e) => e.t));
  let latest = -Infinity;
  for (const { l, i, e } of all) {
    latest = Math.max(latest, e.t);
    times[l]![i] = latest;
  }
  return {
    ...snapshot,
    endMs: Math.max(snapshot.endMs, latest),
    lanes: snapshot.lanes.map((lane, l) => ({
      ...lane,
      events: lane.events.map((e, i) => ({ ...e, t: times[l]![i]! })),
    })),
  };
}

/** Time (ms) during which at least `k` lanes were in one of `states` at once. */
export function concurrentMs(
  snapshot: TimelineSnapshot,
  states: readonly ThreadState[] = ['running', 'native'],
  k = 2,
): number {
  const edges: [number, number][] = [];
  for (const s of spans(snapshot, states))
    if (s.end > s.start) edges.push([s.start, 1], [s.end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let last = 0;
  let total = 0;
  for (const [t, d] of edges) {
    if (active >= k) total += t - last;
    active += d;
    last = t;
  }
  return total;
}

/**
 * Pairs of "running" spans of different lanes on the same GIL that overlap in the global event
 * order (exact, clock-independent). Under a working GIL this is always empty.
 */
export function exclusionViolations(
  snapshot: TimelineSnapshot,
): [Segment & { lane: number }, Segment & { lane: number }][] {
  const lockOf = new Map(snapshot.lanes.map((l) => [l.lane, l.lock]));
  const running = spans(snapshot, ['running']).sort((a, b) => a.seqStart - b.seqStart);
  const out: [Segment & { lane: number }, Segment & { lane: number }][] = [];
  for (let i = 0; i < running.length; i++) {
    const a = running[i]!;
    const lock = lockOf.get(a.lane);
    if (lock === null || lock === undefined) continue;
    for (let j = i + 1; j < running.length && running[j]!.seqStart < a.seqEnd; j++) {
      const b = running[j]!;
      if (b.lane !== a.lane && lockOf.get(b.lane) === lock) out.push([a, b]);
    }
  }
  return out;
}

/** Per-lane statistics from the exact per-state totals. */
export function threadStats(
  snapshot: TimelineSnapshot,
  wallMs: number,
  tasksPerLane: readonly number[],
): ThreadStats[] {
  return snapshot.lanes.map((l) => {
    const t = l.totalsMs;
    const held = l.lock === null ? 0 : t.running;
    return {
      lane: l.lane,
      label: l.label,
      tasks: tasksPerLane[l.lane] ?? 0,
      busyMs: t.running + t.native,
      heldMs: held,
      heldShare: l.lock === null || wallMs <= 0 ? null : held / wallMs,
      waitingMs: t.waiting,
      ioMs: t.io,
      nativeMs: t.native,
      blockedMs: t.blocked,
    };
  });
}

/**
 * `lockHeldShare`, the one meaning both engines' results give it: the share of the wall time a GIL
 * was held, that is some thread under it was running Python (the `running` state; a thread in a C
 * call or blocked has released it), averaged over the run's GILs (one per process: a process pool
 * or multiprocessing has several). null when no lane ran under a GIL (free-threaded) or the wall
 * time is not positive. At most 1 (a GIL has one holder; workers' clocks may differ by µs).
 */
export function lockHeldShare(snapshot: TimelineSnapshot, wallMs: number): number | null {
  const locked = snapshot.lanes.filter((l) => l.lock !== null);
  const locks = new Set(locked.map((l) => l.lock)).size;
  if (locks === 0 || !(wallMs > 0)) return null;
  const held = locked.reduce((a, l) => a + l.totalsMs.running, 0);
  return Math.min(1, held / (wallMs * locks));
}

/** Times each lane took a GIL after waiting for it. */
export function gilAcquisitions(snapshot: TimelineSnapshot): number[] {
  return snapshot.lanes.map((lane) => {
    const segs = toSegments(lane.events, snapshot.endMs);
    return segs.filter((s, i) => s.state === 'running' && segs[i - 1]?.state === 'waiting').length;
  });
}

/** Median wait for the GIL right after a blocking call, on lanes that did I/O (the convoy). */
export function ioReacquireMs(snapshot: TimelineSnapshot): number | null {
  const waits: number[] = [];
  for (const lane of snapshot.lanes) {
    const segs = toSegments(lane.events, snapshot.endMs);
    segs.forEach((s, i) => {
      if (s.state === 'waiting' && segs[i - 1]?.state === 'io') waits.push(s.end - s.start);
    });
  }
  return waits.length === 0 ? null : median(waits);
}

/** Blocking calls per second on the lanes that did I/O, over the span they were doing it. */
export function ioCallsPerSecond(snapshot: TimelineSnapshot): number | null {
  let calls = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const lane of snapshot.lanes) {
    for (const s of toSegments(lane.events, snapshot.endMs)) {
      if (s.state !== 'io') continue;
      calls++;
      first = Math.min(first, s.start);
      last = Math.max(last, s.end);
    }
  }
  return calls > 1 && last > first ? (calls / (last - first)) * 1000 : null;
}
