import { describe, expect, it } from 'vitest';
import { compareWithPlainLoop } from '../../../../src/runtime/experiments/compare-runs.ts';
import { speedLimits } from '../../../../src/runtime/experiments/speed-limits.ts';
import type { RunResult } from '../../../../src/runtime/experiments/result.ts';

/** Just enough of a RunResult for the comparison (it only reads these fields). */
const fakeRun = (wallMs: number, id: number) =>
  ({ wallMs, workers: 2, cores: 2, values: [id] }) as unknown as RunResult;

describe('comparing a run with its plain loop', () => {
  it('shows the median pair and a speed-up no higher than the cores allow', async () => {
    const runs = [280, 300, 310, 290, 305, 295, 300, 300, 300];
    let clock = 0;
    const { result, comparison } = await compareWithPlainLoop({
      run: (i) => {
        clock += runs[i]!;
        return Promise.resolve(fakeRun(runs[i]!, i));
      },
      baseline: () => {
        clock += 640;
        return Promise.resolve(640);
      },
      limits: speedLimits(
        {
          mode: 'free-threaded',
          executor: 'threads',
          workers: 2,
          workload: { name: 'countdown' },
        },
        2,
      ),
      now: () => clock,
    });
    expect(comparison.verdict.speed).toBe('faster');
    expect(comparison.summary.median).toBeGreaterThan(2);
    expect(result.speedup).toBe(2);
    expect(comparison.verdict.capped).toBe(true);
    expect(result.baselineWallMs).toBe(640);
    expect(result.efficiency).toBe(1);
  });
});
