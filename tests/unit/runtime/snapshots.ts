/** Hand-written timelines for the statistics tests (run-stats, convoy-rate): exact, no workers. */
import {
  THREAD_STATES,
  type ThreadState,
  type TimelineSnapshot,
} from '../../../src/runtime/index.ts';

/** Per-state totals: all 0 but the ones given, ms. */
export function totals(
  given: Partial<Record<ThreadState, number>> = {},
): Record<ThreadState, number> {
  return {
    ...(Object.fromEntries(THREAD_STATES.map((s) => [s, 0])) as Record<ThreadState, number>),
    ...given,
  };
}

/** A snapshot from per-lane [time, state] steps, every lane under GIL 0 (totals are all 0). */
export function stepsSnapshot(
  endMs: number,
  ...lanes: [number, ThreadState][][]
): TimelineSnapshot {
  let seq = 0;
  return {
    version: 1,
    endMs,
    truncated: false,
    lanes: lanes.map((steps, lane) => ({
      lane,
      label: `Thread-${lane + 1}`,
      kind: 'thread',
      lock: 0,
      dropped: 0,
      totalsMs: totals(),
      events: steps.map(([t, state]) => ({ t, seq: seq++, state, task: 0 })),
    })),
  };
}
