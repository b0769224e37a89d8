/**
 * Statistics of interleaved pairs: a plain loop and a run of the same work, measured back to back
 * (plain loop, run, plain loop, run …). A busy machine slows whatever happens to be running, so
 * each run is compared with its own neighbour, and the figure is the median of those ratios with
 * an interval that says how sure it is. Pure and distribution-free: no normal-noise assumption
 * (noise from other processes is one-sided and bursty).
 */

/** One plain-loop measurement and the run measured right after it, ms of wall time. */
export interface TimedPair {
  baselineMs: number;
  runMs: number;
}

/** The speed-ups of a series of pairs (plain loop ÷ run for each pair), summarised. */
export interface PairedSummary {
  /** How many pairs. */
  pairs: number;
  /** Median speed-up. */
  median: number;
  /** Lower and upper quartile of the speed-ups (their spread). */
  q1: number;
  q3: number;
  /** (q3 − q1) ÷ median: the spread relative to the figure (0.05 is a quiet machine). */
  relativeSpread: number;
  /** Distribution-free interval for the median, from order statistics (see `medianInterval`). */
  low: number;
  high: number;
  /** The chance that the interval holds the true median (1 − 2·P(Binomial(n, ½) < k)). */
  confidence: number;
  /** Median plain-loop and run times, ms. */
  baselineMs: number;
  runMs: number;
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0…1) of a non-empty list, linear between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const below = Math.floor(pos);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (pos - below);
}

/** P(X ≤ k) for X ~ Binomial(n, ½). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The narrowest order-statistic interval [x(k), x(n+1−k)] for the median whose confidence reaches
 * `level`, or [min, max] with its (lower) confidence when n is too small to reach it (n < 5 for
 * 90 %). Ranks k are 1-based.
 */
export function medianInterval(
  values: readonly number[],
  level = 0.9,
): { low: number; high: number; confidence: number } {
  if (values.length === 0) throw new RangeError('interval of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let k = 1;
  while (k + 1 <= (n + 1) / 2 && 1 - 2 * binomialHalfCdf(n, k) >= level) k++;
  const confidence = Math.max(0, 1 - 2 * binomialHalfCdf(n, k - 1));
  return { low: sorted[k - 1]!, high: sorted[n - k]!, confidence };
}

/** Summarises a non-empty series of pairs; pairs with a zero or negative time are rejected. */
export function summarizePairs(pairs: readonly TimedPair[], level = 0.9): PairedSummary {
  if (pairs.length === 0) throw new RangeError('no pairs to summarise');
  for (const p of pairs) {
    if (!(p.baselineMs > 0 && p.runMs > 0)) {
      throw new RangeError(`a pair needs two positive times, got ${p.baselineMs} and ${p.runMs}`);
    }
  }
  const ratios = pairs.map((p) => p.baselineMs / p.runMs);
  const mid = median(ratios);
  const q1 = quantile(ratios, 0.25);
  const q3 = quantile(ratios, 0.75);
  return {
    pairs: pairs.length,
    median: mid,
    q1,
    q3,
    relativeSpread: (q3 - q1) / mid,
    ...medianInterval(ratios, level),
    baselineMs: median(pairs.map((p) => p.baselineMs)),
    runMs: median(pairs.map((p) => p.runMs)),
  };
}

/** Index of the pair whose speed-up is closest to the median (the run a timeline should show). */
export function medianPairIndex(pairs: readonly TimedPair[]): number {
  const mid = median(pairs.map((p) => p.baselineMs / p.runMs));
  let best = 0;
  pairs.forEach((p, i) => {
    const gap = Math.abs(p.baselineMs / p.runMs - mid);
    if (gap < Math.abs(pairs[best]!.baselineMs / pairs[best]!.runMs - mid)) best = i;
  });
  return best;
}
