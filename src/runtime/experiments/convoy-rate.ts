/**
 * The convoy's figure: round trips per second of the I/O thread *while a thread computes beside
 * it*, as CPython's reference measures it (CPU threads spin for the whole measurement). Calls
 * made after the computing thread has finished run alone, thousands per second; counting them
 * (as a plain calls ÷ span does) inflates the rate by however much earlier the computing thread
 * happened to end, which on a loaded machine varies run to run.
 */
import { toSegments, type TimelineSnapshot } from '../core/timeline.ts';

/** The I/O rate beside computing work, and what was left out. */
export interface ConvoyRate {
  /** Round trips per second within the computing lanes' busy window, or null (too few calls). */
  perSecond: number | null;
  /** Blocking calls counted (inside the window). */
  calls: number;
  /** Calls made while no lane computed (before or after the window), left out. */
  alone: number;
}

/** Rate of blocking calls on the I/O lanes while the other lanes computed (ran Python code). */
export function convoyRate(snapshot: TimelineSnapshot): ConvoyRate {
  const lanes = snapshot.lanes.map((lane) => toSegments(lane.events, snapshot.endMs));
  const ioLanes = lanes.filter((segs) => segs.some((s) => s.state === 'io'));
  const cpuLanes = lanes.filter((segs) => !segs.some((s) => s.state === 'io'));
  let from = Infinity;
  let to = -Infinity;
  for (const segs of cpuLanes) {
    for (const s of segs) {
      if (s.state !== 'running' || s.end <= s.start) continue;
      from = Math.min(from, s.start);
      to = Math.max(to, s.end);
    }
  }
  if (cpuLanes.length === 0 || !(to > from)) {
    from = -Infinity;
    to = Infinity;
  }
  let calls = 0;
  let alone = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const segs of ioLanes) {
    for (const s of segs) {
      if (s.state !== 'io') continue;
      if (s.start < from || s.end > to) {
        alone++;
        continue;
      }
      calls++;
      first = Math.min(first, s.start);
      last = Math.max(last, s.end);
    }
  }
  const perSecond = calls > 1 && last > first ? (calls / (last - first)) * 1000 : null;
  return { perSecond, calls, alone };
}
