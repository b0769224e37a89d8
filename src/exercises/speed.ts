/**
 * Judging a speed-up measured on a shared, noisy machine: interleaved (baseline, candidate)
 * pairs, the median of their ratios and a distribution-free interval for it. Decided only when the
 * whole interval is on one side of the target; otherwise "too close to call, run again".
 * (The `trust` work (issue 12) brings the course's shared noise rules; this follows the same
 * shape (TimedPair, median interval, physical ceiling) so it can adopt them.)
 */

export interface TimedPair {
  baselineMs: number;
  runMs: number;
}

export interface SpeedupJudgement {
  outcome: 'passed' | 'failed' | 'busy';
  /** Median speed-up (baseline ÷ candidate), held to the ceiling; null when not believable. */
  shown: number | null;
  /** The interval for the median speed-up. */
  low: number;
  high: number;
  confidence: number;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
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

/** Order-statistic interval for the median reaching `level` if n allows ([min, max] otherwise). */
export function medianInterval(values: readonly number[], level = 0.9) {
  const s = sorted(values);
  const n = s.length;
  let k = 1;
  while (k + 1 <= (n + 1) / 2 && 1 - 2 * binomialHalfCdf(n, k) >= level) k++;
  const confidence = Math.max(0, 1 - 2 * binomialHalfCdf(n, k - 1));
  const mid = n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { median: mid, low: s[k - 1]!, high: s[n - k]!, confidence };
}

/** How far above the physical ceiling a measurement is still believed (above: noise). */
export const CEILING_TOLERANCE = 1.1;

/** Passed, failed or too close to call, for a speed-up of at least `atLeast` (at most `ceiling`). */
export function judgeSpeedup(
  pairs: readonly TimedPair[],
  atLeast: number,
  ceiling: number,
): SpeedupJudgement {
  const ratios = pairs
    .filter((p) => p.baselineMs > 0 && p.runMs > 0)
    .map((p) => p.baselineMs / p.runMs);
  if (ratios.length < 3) return { outcome: 'busy', shown: null, low: 0, high: 0, confidence: 0 };
  const { median, low, high, confidence } = medianInterval(ratios);
  if (low > ceiling * CEILING_TOLERANCE) {
    return { outcome: 'busy', shown: null, low, high, confidence };
  }
  const shown = Math.min(median, ceiling);
  const outcome = low >= atLeast ? 'passed' : high < atLeast ? 'failed' : 'busy';
  return { outcome, shown, low, high, confidence };
}
