import { afterAll, describe, expect, it } from 'vitest';
import { inEventOrder, toSegments, type TimelineSnapshot } from '../../../../src/runtime/index.ts';
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
});

describe('the asyncio workload (an event loop on one thread)', () => {
  it('overlaps many waits on a single thread', async () => {
    const waits = 200;
    const longestMs = 60;
    const r = await runtime.runExperiment({
      mode: 'gil',
      executor: 'sequential',
      workers: 1,
      tasks: 1,
      workload: { name: 'asyncio', size: longestMs, calls: waits },
    }).result;
    expect(r.timeline.lanes).toHaveLength(1);
    const segments = toSegments(r.timeline.lanes[0]!.events, r.timeline.endMs);
    const sleeps = segments.filter((s) => s.state === 'io');
    // It really blocked (released the GIL) between timers, more than once…
    expect(sleeps.length).toBeGreaterThan(3);
    // …and all 200 waits were in flight together: far less than 200 waits one after another.
    const waited = sleeps.reduce((sum, s) => sum + (s.end - s.start), 0);
    expect(waited).toBeLessThan(waits * longestMs * 0.1);
    expect(waited).toBeGreaterThan(longestMs * 0.4);
  });

  it('rejects a negative wait, naming the field', () => {
    expect(() =>
      runtime.runExperiment({ workload: { name: 'asyncio', size: -1, calls: 10 } }),
    ).toThrow(/workload\.size/);
  });
});

describe('inEventOrder', () => {
  it('never lets a later event (by sequence) be drawn before an earlier one', () => {
    const snapshot: TimelineSnapshot = {
      version: 1,
      endMs: 20,
      truncated: false,
      lanes: [
        {
          lane: 0,
          label: 'Thread-1',
          kind: 'thread',
          lock: 0,
          dropped: 0,
          totalsMs: {} as never,
          events: [
            { t: 0, seq: 1, state: 'running', task: 0 },
            { t: 10.003, seq: 3, state: 'waiting', task: 0 },
          ],
        },
        {
          lane: 1,
          label: 'Thread-2',
          kind: 'thread',
          lock: 0,
          dropped: 0,
          totalsMs: {} as never,
          // Its clock runs 5 µs behind: it "took" the GIL before the other released it.
          events: [
            { t: 0, seq: 2, state: 'waiting', task: 1 },
            { t: 9.998, seq: 4, state: 'running', task: 1 },
          ],
        },
      ],
    };
    const fixed = inEventOrder(snapshot);
    expect(fixed.lanes[1]!.events[1]!.t).toBe(10.003);
    expect(fixed.lanes[0]!.events[1]!.t).toBe(10.003);
  });
});
