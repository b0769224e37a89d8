/**
 * Measuring a rate (the convoy's round trips per second) over repeated runs within a time budget:
 * a few runs when they agree, more when they spread, up to a cap, like the pairs of a speed-up
 * (paired-runs.ts). A rate needs no plain loop beside it: it is not compared with other work,
 * but it still has to know its noise. UI-free: the runner is injected, so the loop is tested
 * with synthetic series in Node.
 */
import {
  medianRateIndex,
  rateSettled,
  rateVerdict,
  summarizeRates,
  type RateSummary,
  type RateVerdict,
} from '../core/rate-stats.ts';

/** How many runs, and how long to spend on them. */
export interface RepeatBudget {
  /** Runs always measured (a median needs a few). */
  minRuns: number;
  /** Runs never exceeded. */
  maxRuns: number;
  /**
   * Time after which no new run starts, ms from the start (the run under way finishes), nor one
   * that would clearly end past it. Past twice this not even `minRuns` are completed: runs that
   * slow mean a machine too busy to measure (the verdict says so).
   */
  budgetMs: number;
}

/** The default: 3 runs at least, 7 at most, no new run after 6 s. */
export const DEFAULT_REPEAT_BUDGET: RepeatBudget = { minRuns: 3, maxRuns: 7, budgetMs: 6000 };

/** Why the measuring stopped. */
export type RepeatStop = 'settled' | 'budget' | 'cap';

/** Everything the runs measured. */
export interface RateMeasurement<R> {
  /** Each run's rate, in order (null: the run gave none, e.g. too few calls to count). */
  rates: (number | null)[];
  /** What each run returned, in order. */
  values: R[];
  /** The runs that gave a rate, summarised; null when none did. */
  summary: RateSummary | null;
  /** Busy when too few runs gave a rate or they disagree (see rateVerdict). */
  verdict: RateVerdict;
  /** The run closest to the median (the one whose timeline to show). */
  picked: number;
  stoppedBy: RepeatStop;
}

/** Options of `measureRate`. */
export interface MeasureRateOptions {
  budget?: RepeatBudget;
  /** After each run, with the runs so far (for progress words). */
  onRun?: (runs: number) => void;
  /** The clock, ms (injected by tests). */
  now?: () => number;
}

/** Measures repeated runs of `run` until settled, out of budget or at the cap. */
export async function measureRate<R>(
  run: (index: number) => Promise<{ rate: number | null; value: R }>,
  options: MeasureRateOptions = {},
): Promise<RateMeasurement<R>> {
  const budget = options.budget ?? DEFAULT_REPEAT_BUDGET;
  const now = options.now ?? (() => performance.now());
  const minRuns = Math.max(1, budget.minRuns);
  const maxRuns = Math.max(minRuns, budget.maxRuns);
  const start = now();
  const rates: (number | null)[] = [];
  const values: R[] = [];
  const done = (stoppedBy: RepeatStop): RateMeasurement<R> => {
    const known = rates.filter((r): r is number => r !== null);
    const summary = known.length ? summarizeRates(known) : null;
    return {
      rates,
      values,
      summary,
      verdict: summary ? rateVerdict(summary) : { busy: true, why: 'few' },
      picked: Math.max(0, medianRateIndex(rates)),
      stoppedBy,
    };
  };
  for (;;) {
    const measured = await run(rates.length);
    rates.push(measured.rate !== null && measured.rate > 0 ? measured.rate : null);
    values.push(measured.value);
    options.onRun?.(rates.length);
    const n = rates.length;
    if (n >= maxRuns) return done('cap');
    const elapsed = now() - start;
    if (elapsed >= 2 * budget.budgetMs) return done('budget');
    if (n < minRuns) continue;
    const known = rates.filter((r): r is number => r !== null);
    if (known.length && rateSettled(summarizeRates(known))) return done('settled');
    if (elapsed >= budget.budgetMs || elapsed + elapsed / n > budget.budgetMs * 1.25) {
      return done('budget');
    }
  }
}
