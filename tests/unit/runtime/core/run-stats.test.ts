import { describe, expect, it } from 'vitest';
import {
  gilAcquisitions,
  ioCallsPerSecond,
  ioReacquireMs,
  lockHeldShare,
  type TimelineSnapshot,
} from '../../../../src/runtime/index.ts';
import { stepsSnapshot, totals } from '../snapshots.ts';

describe('statistics of a run’s timeline', () => {
  it('counts the times each lane took the GIL after waiting for it', () => {
    const run = stepsSnapshot(
      10,
      [
        [0, 'running'],
        [2, 'waiting'],
        [4, 'running'],
        [6, 'waiting'],
        [8, 'running'],
      ],
      [
        [0, 'waiting'],
        [2, 'running'],
        [4, 'waiting'],
        [9, 'done'],
      ],
    );
    expect(gilAcquisitions(run)).toEqual([2, 1]);
  });

  it('takes the median wait for the GIL right after a blocking call (the convoy)', () => {
    const run = stepsSnapshot(20, [
      [0, 'io'],
      [1, 'waiting'],
      [2, 'running'],
      [3, 'io'],
      [4, 'waiting'],
      [8, 'running'],
      [9, 'io'],
      [10, 'waiting'],
      [12, 'running'],
      [13, 'io'],
      [14, 'waiting'],
      [20, 'running'],
    ]);
    // Waits of 1, 4, 2 and 6 ms: the median of an even count is the mean of the middle two.
    expect(ioReacquireMs(run)).toBe(3);
    expect(ioReacquireMs(stepsSnapshot(5, [[0, 'running']]))).toBeNull();
  });

  it('counts blocking calls per second over the span they were made in', () => {
    const run = stepsSnapshot(100, [
      [0, 'io'],
      [10, 'running'],
      [40, 'io'],
      [50, 'running'],
    ]);
    expect(ioCallsPerSecond(run)).toBeCloseTo(2 / 0.05);
    expect(
      ioCallsPerSecond(
        stepsSnapshot(5, [
          [0, 'io'],
          [5, 'running'],
        ]),
      ),
    ).toBeNull();
  });
});

/** A snapshot of lanes given only by their GIL (or none) and their running time, ms. */
function heldRun(...lanes: [lock: number | null, runningMs: number][]): TimelineSnapshot {
  const base = stepsSnapshot(10);
  return {
    ...base,
    lanes: lanes.map(([lock, running], lane) => ({
      lane,
      label: `Thread-${lane + 1}`,
      kind: 'thread',
      lock,
      dropped: 0,
      totalsMs: totals({ running }),
      events: [],
    })),
  };
}

describe('lockHeldShare: one meaning for experiments and Run Python', () => {
  it('is the share of the wall time the GIL had a running holder', () => {
    expect(lockHeldShare(heldRun([0, 3], [0, 4]), 10)).toBeCloseTo(0.7);
  });

  it('averages over the GILs of a run that has several (one per process)', () => {
    expect(lockHeldShare(heldRun([0, 8], [1, 2]), 10)).toBeCloseTo(0.5);
  });

  it('is null without a GIL (free-threaded) or without a wall time', () => {
    expect(lockHeldShare(heldRun([null, 9], [null, 9]), 10)).toBeNull();
    expect(lockHeldShare(heldRun([0, 1]), 0)).toBeNull();
  });

  it('never exceeds 1 when workers’ clocks disagree by a little', () => {
    expect(lockHeldShare(heldRun([0, 6], [0, 4.01]), 10)).toBe(1);
  });
});
