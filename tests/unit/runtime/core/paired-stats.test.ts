import { describe, expect, it } from 'vitest';
import {
  median,
  medianInterval,
  medianPairIndex,
  quantile,
  summarizePairs,
} from '../../../../src/runtime/core/paired-stats.ts';

describe('statistics of interleaved pairs', () => {
  it('takes medians and quartiles of unsorted lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([5, 1, 3, 2, 4], 0.25)).toBe(2);
    expect(quantile([5, 1, 3, 2, 4], 0.75)).toBe(4);
    expect(() => median([])).toThrow(RangeError);
  });

  it('gives the order-statistic interval of the median with its true confidence', () => {
    const nine = [9, 1, 8, 2, 7, 3, 6, 4, 5];
    // n = 9: ranks 2 and 8 cover the median with 1 − 2·P(B ≤ 1) = 1 − 20/512 ≈ 96 %.
    expect(medianInterval(nine)).toEqual({ low: 2, high: 8, confidence: 1 - 20 / 512 });
    // n = 5 cannot reach 90 % with anything narrower than [min, max] (93.75 %).
    expect(medianInterval([5, 4, 3, 2, 1])).toEqual({ low: 1, high: 5, confidence: 0.9375 });
    // n = 3: [min, max] is only 75 % sure, and says so.
    expect(medianInterval([1, 2, 3]).confidence).toBe(0.75);
    expect(medianInterval([7]).confidence).toBe(0);
  });

  it('summarises speed-ups as plain loop ÷ run per pair, not as a ratio of medians', () => {
    const s = summarizePairs([
      { baselineMs: 1000, runMs: 500 },
      { baselineMs: 2000, runMs: 1000 }, // a slow pair: both sides slowed alike
      { baselineMs: 600, runMs: 300 },
    ]);
    expect(s.median).toBe(2);
    expect(s.relativeSpread).toBe(0);
    expect(s.pairs).toBe(3);
    expect(s.baselineMs).toBe(1000);
    expect(s.runMs).toBe(500);
  });

  it('rejects pairs without two positive times', () => {
    expect(() => summarizePairs([])).toThrow(RangeError);
    expect(() => summarizePairs([{ baselineMs: 0, runMs: 5 }])).toThrow(/positive/);
    expect(() => summarizePairs([{ baselineMs: 5, runMs: NaN }])).toThrow(/positive/);
  });

  it('picks the pair closest to the median for the timeline shown', () => {
    const pairs = [
      { baselineMs: 100, runMs: 50 },
      { baselineMs: 100, runMs: 90 },
      { baselineMs: 100, runMs: 70 },
    ];
    expect(medianPairIndex(pairs)).toBe(2);
  });
});
