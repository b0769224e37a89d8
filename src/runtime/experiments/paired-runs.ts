/**
 * Measuring a run against a plain loop of the same work as interleaved pairs, within a time
 * budget: a few pairs when they agree, more when they spread, up to a cap. Order alternates
 * (run, loop), (loop, run), … so a machine that gets busier or quieter during the measurement
 * weighs on both sides alike, and the first thing measured is the run the reader asked for (its
 * lanes move at once). UI-free: the runners are injected, so the loop is tested with synthetic
 * series in Node.
 */
import { summarizePairs, type PairedSummary, type TimedPair } from '../core/paired-stats.ts';

/** How many pairs, and how long to spend on them. */
export interface PairBudget {
  /** Pairs always measured (a median needs a few). */
  minPairs: number;
  /** Pairs never exceeded. */
  maxPairs: number;
  /**
   * Time after which no new pair starts, ms from the start (the pair under way finishes). A pair
   * that would clearly end past it is not started either. Past twice this, not even `minPairs`
   * are completed: pairs that slow mean a machine too busy to measure (the verdict says so).
   */
  budgetMs: number;
}

/** The default: 3 pairs at least, 9 at most, no new pair after 6 s. */
export const DEFAULT_PAIR_BUDGET: PairBudget = { minPairs: 3, maxPairs: 9, budgetMs: 6000 };

/** The two measurements a pair is made of; both reject (AbortError) when the reader stops. */
export interface PairRunners<R> {
  /** Runs the reader's configuration; resolves with its wall time (ms) and whatever it returns. */
  run(pairIndex: number): Promise<{ wallMs: number; value: R }>;
  /** Runs the plain loop of the same work; resolves with its wall time, ms. */
  baseline(pairIndex: number): Promise<number>;
}

/** Why the measuring stopped. */
export type PairStop = 'settled' | 'budget' | 'cap';

/** Everything the pairs measured. */
export interface PairedMeasurement<R> {
  pairs: TimedPair[];
  /** What each pair's run returned, in pair order. */
  values: R[];
  summary: PairedSummary;
  stoppedBy: PairStop;
}

/** Options of `measurePairs`. */
export interface MeasurePairsOptions {
  budget?: PairBudget;
  /**
   * True when the pairs so far settle the question (from `minPairs` on, after each pair): no
   * more are measured. Default: never, so the budget or the cap ends it.
   */
  settled?: (summary: PairedSummary) => boolean;
  /** Called after each pair with the summary so far (for progress words). */
  onPair?: (summary: PairedSummary) => void;
  /** The clock, ms (injected by tests). */
  now?: () => number;
}

/** Measures interleaved pairs until settled, out of budget or at the cap. */
export async function measurePairs<R>(
  runners: PairRunners<R>,
  options: MeasurePairsOptions = {},
): Promise<PairedMeasurement<R>> {
  const budget = options.budget ?? DEFAULT_PAIR_BUDGET;
  const now = options.now ?? (() => performance.now());
  const minPairs = Math.max(1, budget.minPairs);
  const maxPairs = Math.max(minPairs, budget.maxPairs);
  const start = now();
  const pairs: TimedPair[] = [];
  const values: R[] = [];
  for (;;) {
    const i = pairs.length;
    let baselineMs: number;
    let run: { wallMs: number; value: R };
    if (i % 2 === 0) {
      run = await runners.run(i);
      baselineMs = await runners.baseline(i);
    } else {
      baselineMs = await runners.baseline(i);
      run = await runners.run(i);
    }
    pairs.push({ baselineMs, runMs: run.wallMs });
    values.push(run.value);
    const summary = summarizePairs(pairs);
    options.onPair?.(summary);
    const n = pairs.length;
    if (n >= maxPairs) return { pairs, values, summary, stoppedBy: 'cap' };
    if (now() - start >= 2 * budget.budgetMs) {
      return { pairs, values, summary, stoppedBy: 'budget' };
    }
    if (n < minPairs) continue;
    if (options.settled?.(summary)) return { pairs, values, summary, stoppedBy: 'settled' };
    const elapsed = now() - start;
    const perPair = elapsed / n;
    // Stop when the budget is spent, or the next pair would end well past it.
    if (elapsed >= budget.budgetMs || elapsed + perPair > budget.budgetMs * 1.25) {
      return { pairs, values, summary, stoppedBy: 'budget' };
    }
  }
}
