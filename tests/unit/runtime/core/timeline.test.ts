import { afterAll, describe, expect, it } from 'vitest';
import {
  STATE,
  TimelineReader,
  TimelineWriter,
  createTimeline,
  toSegments,
} from '../../../../src/runtime/core/timeline.ts';
import { exclusionViolations, handoffStats, percentile } from '../../../../src/runtime/index.ts';
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
});

describe('the timeline', () => {
  it('can be read live, without blocking, while threads run', async () => {
    const run = runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      switchIntervalMs: 1,
      workload: { name: 'io', size: 3, calls: 30 },
    });
    let done = false;
    void run.result.finally(() => (done = true));
    const seenWhileRunning: number[] = [];
    let total = 0;
    while (!done) {
      total += run.timeline.poll().reduce((a, l) => a + l.events.length, 0);
      seenWhileRunning.push(total);
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await run.result;
    expect(new Set(seenWhileRunning.filter((n) => n > 0)).size).toBeGreaterThan(2); // grew step by step
    total += run.timeline.poll().reduce((a, l) => a + l.events.length, 0);
    expect(total).toBe(r.timeline.lanes.reduce((a, l) => a + l.events.length, 0));
  });

  it('gives a JSON snapshot that survives a round trip (recorded timelines)', async () => {
    const r = await runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      workload: { name: 'io', size: 2, calls: 3 },
    }).result;
    const copy = JSON.parse(JSON.stringify(r.timeline)) as typeof r.timeline;
    expect(copy).toEqual(r.timeline);
    expect(exclusionViolations(copy)).toEqual([]);
    for (const lane of copy.lanes) {
      const segs = toSegments(lane.events, copy.endMs);
      expect(segs.at(-1)!.state).toBe('done');
      expect(segs.every((s) => s.end >= s.start)).toBe(true);
      const recorded = segs
        .filter((s) => s.state === 'io')
        .reduce((a, s) => a + s.end - s.start, 0);
      expect(lane.totalsMs.io).toBeCloseTo(recorded, 6);
    }
  });

  it('keeps its last slot for done and counts what it dropped when full', () => {
    const d = createTimeline(1, 4);
    let seq = 0;
    let t = 0;
    const w = new TimelineWriter(
      d,
      0,
      () => t++,
      () => seq++,
    );
    for (let i = 0; i < 10; i++) w.record(i % 2 ? STATE.running : STATE.waiting, 0);
    w.record(STATE.done, -1);
    const snap = new TimelineReader(d, [
      { lane: 0, label: 'T', kind: 'thread', lock: 0 },
    ]).snapshot();
    const lane = snap.lanes[0]!;
    expect(lane.events.map((e) => e.state)).toEqual(['waiting', 'running', 'waiting', 'done']);
    expect(lane.dropped).toBe(7);
    expect(snap.truncated).toBe(true);
    expect(lane.totalsMs.running + lane.totalsMs.waiting).toBe(10); // totals stay exact
  });
});

describe('statistics', () => {
  it('computes nearest-rank percentiles and hand-off summaries', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(percentile(xs, 50)).toBe(3);
    expect(percentile(xs, 99)).toBe(5);
    expect(handoffStats([])).toBeNull();
    expect(handoffStats(xs)).toEqual({ count: 5, p50Us: 3, p99Us: 5, meanUs: 3, maxUs: 5 });
  });
});
