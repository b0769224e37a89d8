import { describe, expect, it } from 'vitest';
import {
  medianRateIndex,
  rateSettled,
  rateVerdict,
  summarizeRates,
} from '../../../../src/runtime/core/rate-stats.ts';

describe('statistics of a rate over repeated runs', () => {
  it('summarises rates as their median, quartiles and spread', () => {
    const s = summarizeRates([180, 190, 185, 100, 186]);
    expect(s.runs).toBe(5);
    expect(s.median).toBe(185);
    expect(s.q1).toBe(180);
    expect(s.q3).toBe(186);
    expect(s.relativeSpread).toBeCloseTo(6 / 185, 10);
    expect([s.low, s.high]).toEqual([100, 190]);
    expect(() => summarizeRates([])).toThrow(RangeError);
    expect(() => summarizeRates([120, 0])).toThrow(RangeError);
  });

  it('calls the machine busy when the runs disagree or are too few, never otherwise', () => {
    expect(rateVerdict(summarizeRates([185, 183, 188]))).toEqual({ busy: false, why: null });
    // The convoy on a loaded machine: CPython itself swung 81 → 221/s at load 11.
    expect(rateVerdict(summarizeRates([81, 221, 150, 120]))).toEqual({
      busy: true,
      why: 'spread',
    });
    expect(rateVerdict(summarizeRates([185, 186]))).toEqual({ busy: true, why: 'few' });
    expect(rateSettled(summarizeRates([185, 183, 188]))).toBe(true);
    expect(rateSettled(summarizeRates([185, 150, 188]))).toBe(false);
  });

  it('picks the run closest to the median, never one without a rate', () => {
    expect(medianRateIndex([100, null, 190, 180])).toBe(3);
    expect(medianRateIndex([null, null])).toBe(-1);
  });
});
