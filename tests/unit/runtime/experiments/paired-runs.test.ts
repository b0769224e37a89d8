import { describe, expect, it } from 'vitest';
import { measurePairs } from '../../../../src/runtime/experiments/paired-runs.ts';
import {
  comparisonSettled,
  speedLimits,
} from '../../../../src/runtime/experiments/speed-limits.ts';
import { speedVerdict } from '../../../../src/runtime/core/speed-verdict.ts';
import { BUSY, QUIET, simulated } from '../noisy-series.ts';

const budget = { minPairs: 3, maxPairs: 9, budgetMs: 8000 };

describe('measuring a run against its plain loop in interleaved pairs', () => {
  it('alternates the order of each pair, the run first', async () => {
    const sim = simulated(1, QUIET, 1);
    await measurePairs(sim.runners, { budget: { ...budget, maxPairs: 4 }, now: sim.now });
    expect(sim.order).toEqual(['run0', 'loop0', 'loop1', 'run1', 'run2', 'loop2', 'loop3', 'run3']);
  });

  it('stops after the minimum when the pairs settle the comparison', async () => {
    const limits = speedLimits(
      {
        mode: 'free-threaded',
        executor: 'threads',
        workers: 2,
        workload: { name: 'countdown' },
      },
      2,
    );
    const sim = simulated(1.9, QUIET, 7);
    const m = await measurePairs(sim.runners, {
      budget,
      now: sim.now,
      settled: (s) => comparisonSettled(s, limits),
    });
    expect(m.stoppedBy).toBe('settled');
    expect(m.pairs).toHaveLength(3);
    expect(m.values).toEqual([0, 1, 2]);
  });

  it('measures more pairs on a busy machine, within the budget and the cap', async () => {
    const limits = speedLimits(
      { mode: 'gil', executor: 'threads', workers: 2, workload: { name: 'countdown' } },
      2,
    );
    let more = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const sim = simulated(0.95, BUSY, seed);
      const m = await measurePairs(sim.runners, {
        budget,
        now: sim.now,
        settled: (s) => comparisonSettled(s, limits),
      });
      expect(m.pairs.length).toBeGreaterThanOrEqual(3);
      expect(m.pairs.length).toBeLessThanOrEqual(9);
      if (m.pairs.length > 3) more++;
      expect(speedVerdict(m.summary, limits).speed).not.toBe('faster');
      // No pair starts after the budget; the last one may end a pair's length past it.
      expect(sim.now()).toBeLessThan(8000 * 1.25 + 2 * 600 * 2.5 * 2);
    }
    expect(more).toBeGreaterThan(25);
  });

  it('stops at the cap when nothing settles and time is plenty', async () => {
    const sim = simulated(1, QUIET, 3, 1);
    const m = await measurePairs(sim.runners, { budget, now: sim.now, settled: () => false });
    expect(m).toMatchObject({ stoppedBy: 'cap' });
    expect(m.pairs).toHaveLength(9);
  });

  it('passes a stop (AbortError) through at once', async () => {
    let calls = 0;
    const stop = new DOMException('stopped', 'AbortError');
    const measuring = measurePairs({
      run: () => (++calls === 2 ? Promise.reject(stop) : Promise.resolve({ wallMs: 5, value: 0 })),
      baseline: () => Promise.resolve(5),
    });
    await expect(measuring).rejects.toBe(stop);
    expect(calls).toBe(2);
  });
});

describe('what physics allows a speed-up to be', () => {
  const cfg = (c: object) => ({ workload: { name: 'countdown' as const }, ...c });
  it('holds Python code on one GIL to 1× however many threads', () => {
    expect(speedLimits(cfg({ mode: 'gil', executor: 'threads', workers: 4 }), 8).ceiling).toBe(1);
  });
  it('holds parallel work to min(workers, tasks, cores)', () => {
    const free = cfg({ mode: 'free-threaded', executor: 'threads', workers: 4 });
    expect(speedLimits(free, 2)).toMatchObject({ ceiling: 2 });
    expect(speedLimits(free, 2).reason).toBe('4 threads share 2 cores: at most 2 compute at once');
    const procs = cfg({ mode: 'processes', executor: 'processes', workers: 2, tasks: 1000 });
    expect(speedLimits(procs, 8).ceiling).toBe(2);
    const native = {
      mode: 'gil' as const,
      executor: 'threads' as const,
      workers: 4,
      workload: { name: 'native' as const },
    };
    expect(speedLimits(native, 2).ceiling).toBe(2);
  });
  it('lets waits overlap beyond the core count', () => {
    const io = {
      mode: 'gil' as const,
      executor: 'threads' as const,
      workers: 4,
      workload: { name: 'io' as const },
    };
    expect(speedLimits(io, 2).ceiling).toBe(4);
  });
});

describe('a machine too slow to measure', () => {
  it('stops before the minimum past twice the budget, and such pairs are never graded', async () => {
    // Every measurement takes 5 s: after two pairs (20 s) the 6 s budget is long gone.
    const sim = simulated(1, QUIET, 5, 5000);
    const m = await measurePairs(sim.runners, {
      budget: { minPairs: 3, maxPairs: 9, budgetMs: 6000 },
      now: sim.now,
    });
    expect(m.pairs).toHaveLength(2);
    expect(m.stoppedBy).toBe('budget');
    const limits = speedLimits(
      { mode: 'gil', executor: 'threads', workers: 2, workload: { name: 'countdown' } },
      2,
    );
    expect(speedVerdict(m.summary, limits)).toMatchObject({ speed: null, busy: true });
  });
});
