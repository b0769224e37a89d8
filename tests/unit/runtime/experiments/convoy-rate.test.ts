import { describe, expect, it } from 'vitest';
import { convoyRate, type ThreadState } from '../../../../src/runtime/index.ts';
import { stepsSnapshot } from '../snapshots.ts';

/** An I/O lane: a 1 ms call every `every` ms from `from` to `to`. */
function ioSteps(from: number, to: number, every: number): [number, ThreadState][] {
  const steps: [number, ThreadState][] = [];
  for (let t = from; t < to; t += every)
    steps.push([t, 'io'], [t + 1, 'waiting'], [t + 2, 'running']);
  steps.push([to, 'idle']);
  return steps;
}

describe('the convoy rate', () => {
  it('counts only the calls made while the other thread computed', () => {
    // Computing from 0 to 100 ms: a call every 10 ms. Then 50 ms alone: a call every 2 ms.
    const cpu: [number, ThreadState][] = [
      [0, 'running'],
      [100, 'idle'],
    ];
    const run = stepsSnapshot(150, cpu, [
      ...ioSteps(0, 100, 10).slice(0, -1),
      ...ioSteps(100, 150, 3),
    ]);
    const rate = convoyRate(run);
    expect(rate.calls).toBe(10);
    expect(rate.alone).toBe(17);
    // 10 calls between 0 and 91 ms.
    expect(rate.perSecond).toBeCloseTo(10 / 0.091);
  });

  it('falls back to every call when nothing computed beside them', () => {
    const rate = convoyRate(stepsSnapshot(50, ioSteps(0, 50, 10)));
    expect(rate).toMatchObject({ calls: 5, alone: 0 });
  });
});
