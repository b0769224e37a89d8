import { describe, expect, it } from 'vitest';
import { laneImbalance } from '../../../../src/runtime/experiments/lane-balance.ts';
import type { RunResult } from '../../../../src/runtime/experiments/result.ts';

const run = (lanes: [string, number, number][]) =>
  ({
    threads: lanes.map(([label, tasks, busyMs], lane) => ({ lane, label, tasks, busyMs })),
  }) as unknown as RunResult;

describe('lanes that did the same work', () => {
  it('names the lane that computed far longer than its twin', () => {
    expect(
      laneImbalance(
        run([
          ['Process-1', 1, 608],
          ['Process-2', 1, 2150],
        ]),
      ),
    ).toMatchObject({ slowest: 'Process-2', fastest: 'Process-1', ratio: 2150 / 608 });
  });

  it('says nothing when lanes are close, did unequal work, or hardly computed', () => {
    expect(
      laneImbalance(
        run([
          ['A', 1, 300],
          ['B', 1, 420],
        ]),
      ),
    ).toBeNull();
    expect(
      laneImbalance(
        run([
          ['A', 600, 60],
          ['B', 400, 40],
        ]),
      ),
    ).toBeNull();
    expect(
      laneImbalance(
        run([
          ['A', 1, 2],
          ['B', 1, 300],
        ]),
      ),
    ).toBeNull();
    expect(laneImbalance(run([['A', 1, 300]]))).toBeNull();
  });
});
