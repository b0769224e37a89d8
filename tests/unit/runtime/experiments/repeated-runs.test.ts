import { describe, expect, it } from 'vitest';
import { measureRate } from '../../../../src/runtime/experiments/repeated-runs.ts';
import { BUSY, QUIET, disturbed, seeded, type Machine } from '../noisy-series.ts';

const budget = { minRuns: 3, maxRuns: 7, budgetMs: 6000 };

/**
 * The convoy on a simulated machine: each run makes `calls` round trips at `trueRate` per second
 * undisturbed, and takes longer (a lower rate) when the machine disturbs it; a fake clock
 * advances by what each run took.
 */
function simulatedConvoy(trueRate: number, machine: Machine, seed: number, calls = 150) {
  const random = seeded(seed);
  let clock = 0;
  return {
    now: () => clock,
    run: (i: number) => {
      const ms = disturbed((calls / trueRate) * 1000, machine, random);
      clock += ms + 200; // the computing thread's tail and the workers' turnaround
      return Promise.resolve({ rate: (calls / ms) * 1000, value: i });
    },
  };
}

describe('measuring a rate over repeated runs', () => {
  it('on a quiet machine settles after three runs near the true rate, not busy', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const sim = simulatedConvoy(185, QUIET, seed);
      const m = await measureRate(sim.run, { budget, now: sim.now });
      expect(m.stoppedBy).toBe('settled');
      expect(m.rates).toHaveLength(3);
      expect(m.verdict.busy).toBe(false);
      expect(Math.abs(m.summary!.median / 185 - 1)).toBeLessThan(0.05);
      expect(m.values[m.picked]).toBe(m.picked);
    }
  });

  it('on a busy machine measures more runs and calls most figures too close to call', async () => {
    let busy = 0;
    let more = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const sim = simulatedConvoy(185, BUSY, seed);
      const m = await measureRate(sim.run, { budget, now: sim.now });
      expect(m.rates.length).toBeGreaterThanOrEqual(3);
      expect(m.rates.length).toBeLessThanOrEqual(7);
      if (m.rates.length > 3) more++;
      if (m.verdict.busy) busy++;
      // A figure shown as a result never hides a wide spread.
      else expect(m.summary!.relativeSpread).toBeLessThanOrEqual(0.25);
    }
    expect(more).toBeGreaterThan(25);
    expect(busy).toBeGreaterThan(25);
  });

  it('gives up past twice the budget: too few runs are busy, not a figure', async () => {
    let clock = 0;
    const m = await measureRate(
      (i) => {
        clock += 7000; // a machine so slow that one run eats the budget
        return Promise.resolve({ rate: 120, value: i });
      },
      { budget, now: () => clock },
    );
    expect(m.rates).toHaveLength(2);
    expect(m.stoppedBy).toBe('budget');
    expect(m.verdict).toEqual({ busy: true, why: 'few' });
  });

  it('keeps runs without a rate out of the figure, and says busy when none had one', async () => {
    const rates = [null, 180, 182, 181];
    const m = await measureRate((i) => Promise.resolve({ rate: rates[i] ?? null, value: i }), {
      budget,
      now: () => 0,
    });
    expect(m.rates).toEqual([null, 180, 182, 181]);
    expect(m.summary!.runs).toBe(3);
    expect(m.picked).toBe(3);
    const none = await measureRate((i) => Promise.resolve({ rate: null, value: i }), {
      budget,
      now: () => 0,
    });
    expect(none.summary).toBeNull();
    expect(none.verdict.busy).toBe(true);
    expect(none.rates).toHaveLength(7);
  });
});
