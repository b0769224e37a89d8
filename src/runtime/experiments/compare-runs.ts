/**
 * A run compared with a plain loop of the same work: interleaved pairs (`measurePairs`), the
 * median speed-up held to what physics allows (`speedLimits`), and a verdict that is decided only
 * when the pairs are clear (`speedVerdict`). What a page shows as a run's speed-up.
 */
import { medianPairIndex, type PairedSummary } from '../core/paired-stats.ts';
import { speedVerdict, type SpeedLimits, type SpeedVerdict } from '../core/speed-verdict.ts';
import type { RunResult } from './result.ts';
import { measurePairs, type PairBudget, type PairStop } from './paired-runs.ts';
import { comparisonSettled } from './speed-limits.ts';

/** A run's speed-up against its plain loop, measured in pairs. */
export interface Comparison {
  summary: PairedSummary;
  limits: SpeedLimits;
  verdict: SpeedVerdict;
  stoppedBy: PairStop;
  /** Every pair's speed-up (plain loop ÷ run), in the order measured. */
  speedups: number[];
}

/** Options of `compareWithPlainLoop`. */
export interface CompareOptions {
  /** Runs the reader's configuration once (pair `index`). */
  run(index: number): Promise<RunResult>;
  /** Runs the plain loop of the same work once; resolves with its wall time, ms. */
  baseline(index: number): Promise<number>;
  /** What physics allows (see `speedLimits`). */
  limits: SpeedLimits;
  budget?: PairBudget;
  /** After each pair: how many so far (for progress words). */
  onPair?: (summary: PairedSummary) => void;
  /** The clock (tests inject one). */
  now?: () => number;
}

/**
 * Measures pairs and returns the run to show (the pair closest to the median, its speed-up set to
 * the verdict's shown figure: never above the ceiling, null when not believable) with the
 * comparison behind it.
 */
export async function compareWithPlainLoop(
  options: CompareOptions,
): Promise<{ result: RunResult; comparison: Comparison }> {
  const { limits } = options;
  const measured = await measurePairs<RunResult>(
    {
      run: async (i) => {
        const value = await options.run(i);
        return { wallMs: value.wallMs, value };
      },
      baseline: (i) => options.baseline(i),
    },
    {
      ...(options.budget ? { budget: options.budget } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onPair ? { onPair: options.onPair } : {}),
      settled: (s) => comparisonSettled(s, limits),
    },
  );
  const { summary, pairs } = measured;
  const verdict = speedVerdict(summary, limits);
  const picked = medianPairIndex(pairs);
  const run = measured.values[picked]!;
  const speedup = verdict.shown;
  const result: RunResult = {
    ...run,
    baselineWallMs: summary.baselineMs,
    speedup,
    efficiency: speedup === null ? null : speedup / Math.min(run.workers, run.cores),
  };
  return {
    result,
    comparison: {
      summary,
      limits,
      verdict,
      stoppedBy: measured.stoppedBy,
      speedups: pairs.map((p) => p.baselineMs / p.runMs),
    },
  };
}
