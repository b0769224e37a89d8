/**
 * Statistics of a rate measured over repeated runs (the convoy's round trips per second): a busy
 * machine slows some runs and not others, so one run's figure says as much about the machine as
 * about the GIL. The figure is the median of several runs with its spread; when the spread is too
 * wide (or too few runs were made) the machine is called busy and the figure too close to call.
 * Pure and distribution-free, like paired-stats.ts.
 */
import { median, medianInterval, quantile } from './paired-stats.ts';
import { BUSY_SPREAD, MIN_GRADED_PAIRS } from './speed-verdict.ts';

/** Rates of several runs, summarised. */
export interface RateSummary {
  /** How many runs gave a rate. */
  runs: number;
  median: number;
  /** Lower and upper quartile of the rates. */
  q1: number;
  q3: number;
  /** (q3 − q1) ÷ median: 0.05 on a quiet machine. */
  relativeSpread: number;
  /** Distribution-free interval for the median and its confidence (see `medianInterval`). */
  low: number;
  high: number;
  confidence: number;
}

/** Whether a rate can be shown as a result, or the machine was too busy to say. */
export interface RateVerdict {
  /** Too few runs, or runs that disagree too much: the figure is too close to call. */
  busy: boolean;
  /** Why it is busy ('few': fewer than 3 runs; 'spread': the runs disagree); null when not. */
  why: 'few' | 'spread' | null;
}

/** Runs at least measured before a rate is believed (as for pairs). */
export const MIN_RATE_RUNS = MIN_GRADED_PAIRS;
/** Runs whose spread is at most this settle the figure early. */
export const SETTLED_RATE_SPREAD = 0.1;

/** Summarises the rates of a non-empty series of runs (each finite and positive). */
export function summarizeRates(rates: readonly number[]): RateSummary {
  if (rates.length === 0) throw new RangeError('no rates to summarise');
  for (const r of rates) {
    if (!(Number.isFinite(r) && r > 0)) throw new RangeError(`a rate must be positive, got ${r}`);
  }
  const mid = median(rates);
  const q1 = quantile(rates, 0.25);
  const q3 = quantile(rates, 0.75);
  return {
    runs: rates.length,
    median: mid,
    q1,
    q3,
    relativeSpread: (q3 - q1) / mid,
    ...medianInterval(rates),
  };
}

/** The verdict on a rate's runs: busy when they are too few or disagree too much. */
export function rateVerdict(summary: RateSummary): RateVerdict {
  if (summary.runs < MIN_RATE_RUNS) return { busy: true, why: 'few' };
  if (summary.relativeSpread > BUSY_SPREAD) return { busy: true, why: 'spread' };
  return { busy: false, why: null };
}

/** Whether the runs so far settle the figure: enough of them, agreeing closely. */
export function rateSettled(summary: RateSummary): boolean {
  return summary.runs >= MIN_RATE_RUNS && summary.relativeSpread <= SETTLED_RATE_SPREAD;
}

/** Index of the run whose rate is closest to the median of `rates` (nulls never picked; -1: none). */
export function medianRateIndex(rates: readonly (number | null)[]): number {
  const known = rates.filter((r): r is number => r !== null);
  if (known.length === 0) return -1;
  const mid = median(known);
  let best = -1;
  rates.forEach((r, i) => {
    if (r === null) return;
    if (best < 0 || Math.abs(r - mid) < Math.abs(rates[best]! - mid)) best = i;
  });
  return best;
}
