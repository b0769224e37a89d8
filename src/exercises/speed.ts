/**
 * Judging a speed-up measured on a shared, noisy machine with the course's noise rules (trust,
 * src/runtime/core/paired-stats.ts and speed-verdict.ts): interleaved (baseline, candidate) pairs,
 * the median of their ratios and a distribution-free interval for it. Passed only when the whole
 * interval reaches the target; failed only when the whole interval misses it on a quiet machine;
 * otherwise, or when a figure beats what physics allows, "too close to call, run again".
 */
import {
  BUSY_SPREAD,
  CEILING_TOLERANCE,
  summarizePairs,
  type TimedPair,
} from '../runtime/index.ts';

export type { TimedPair };

export interface SpeedupJudgement {
  outcome: 'passed' | 'failed' | 'busy';
  /** Median speed-up (baseline ÷ candidate), held to the ceiling; null when not believable. */
  shown: number | null;
  /** The interval for the median speed-up, and how sure it is. */
  low: number;
  high: number;
  confidence: number;
  /** (q3 − q1) ÷ median of the pairs' speed-ups: above BUSY_SPREAD the machine was busy. */
  relativeSpread: number;
}

/** Passed, failed or too close to call, for a speed-up of at least `atLeast` (at most `ceiling`). */
export function judgeSpeedup(
  pairs: readonly TimedPair[],
  atLeast: number,
  ceiling: number,
): SpeedupJudgement {
  const usable = pairs.filter((p) => p.baselineMs > 0 && p.runMs > 0);
  if (usable.length < 3) {
    return { outcome: 'busy', shown: null, low: 0, high: 0, confidence: 0, relativeSpread: 0 };
  }
  const s = summarizePairs(usable);
  const facts = {
    low: s.low,
    high: s.high,
    confidence: s.confidence,
    relativeSpread: s.relativeSpread,
  };
  if (s.low > ceiling * CEILING_TOLERANCE) return { outcome: 'busy', shown: null, ...facts };
  const shown = Math.min(s.median, ceiling);
  if (s.low >= atLeast) return { outcome: 'passed', shown, ...facts };
  // "Not fast enough" only from a quiet measurement: noise can only ever hide a speed-up.
  if (s.high < atLeast && s.relativeSpread <= BUSY_SPREAD)
    return { outcome: 'failed', shown, ...facts };
  return { outcome: 'busy', shown, ...facts };
}
