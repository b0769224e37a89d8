import { describe, expect, it } from 'vitest';
import { summarizePairs, type TimedPair } from '../../../../src/runtime/core/paired-stats.ts';
import {
  gradeSpeedPrediction,
  speedClass,
  speedVerdict,
  type SpeedLimits,
} from '../../../../src/runtime/core/speed-verdict.ts';
import { BUSY, QUIET, disturbed, seeded, type Machine } from '../noisy-series.ts';

const GIL: SpeedLimits = { ceiling: 1, reason: 'threads on one GIL take turns' };
const TWO_CORES: SpeedLimits = { ceiling: 2, reason: '2 threads can compute at once at most' };

/** `n` pairs of work whose true speed-up is `trueSpeedup`, measured on `machine`. */
function series(trueSpeedup: number, machine: Machine, n: number, seed: number): TimedPair[] {
  const random = seeded(seed);
  return Array.from({ length: n }, () => ({
    baselineMs: disturbed(600, machine, random),
    runMs: disturbed(600 / trueSpeedup, machine, random),
  }));
}

const ratios = (...r: number[]) => r.map((x) => ({ baselineMs: 100 * x, runMs: 100 }));

describe('the verdict on a measured speed-up', () => {
  it('classes single figures with ±20 % as about the same', () => {
    expect(speedClass(1.21)).toBe('faster');
    expect(speedClass(1.2)).toBe('about the same');
    expect(speedClass(0.84)).toBe('about the same');
    expect(speedClass(0.8)).toBe('slower');
  });

  it('decides only when the whole interval lies in one class', () => {
    const clear = speedVerdict(summarizePairs(ratios(1.8, 1.9, 1.85, 1.92, 1.88)), TWO_CORES);
    expect(clear).toMatchObject({ speed: 'faster', busy: false, capped: false });
    const edge = speedVerdict(summarizePairs(ratios(1.15, 1.22, 1.18, 1.25, 1.2)), TWO_CORES);
    expect(edge.speed).toBeNull();
    expect(edge.possible).toEqual(['about the same', 'faster']);
    expect(edge.busy).toBe(false); // quiet, just on the line: too close to call, not busy
  });

  it('never grades a noisy GIL-on series "faster", on any of 2,000 busy machines', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      for (const n of [3, 5, 9]) {
        const verdict = speedVerdict(summarizePairs(series(0.95, BUSY, n, seed)), GIL);
        expect(verdict.speed).not.toBe('faster');
        expect(gradeSpeedPrediction('faster', verdict)).not.toBe('right');
        if (verdict.shown !== null) expect(verdict.shown).toBeLessThanOrEqual(1);
      }
    }
  });

  it('calls most busy GIL-on series too close to call and says the machine is busy', () => {
    let busy = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const verdict = speedVerdict(summarizePairs(series(0.95, BUSY, 5, seed)), GIL);
      if (verdict.busy) busy++;
      if (verdict.busy) expect(gradeSpeedPrediction('about the same', verdict)).toBe('undecided');
    }
    expect(busy).toBeGreaterThan(100);
  });

  it('grades a quiet GIL-on series "about the same"', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const verdict = speedVerdict(summarizePairs(series(0.95, QUIET, 5, seed)), GIL);
      expect(verdict.speed).toBe('about the same');
      expect(gradeSpeedPrediction('faster', verdict)).toBe('wrong');
    }
  });

  it('never shows a speed-up above the ceiling, and disbelieves one far above it', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const verdict = speedVerdict(summarizePairs(series(1.95, BUSY, 5, seed)), TWO_CORES);
      if (verdict.shown !== null) expect(verdict.shown).toBeLessThanOrEqual(2);
    }
    const over = speedVerdict(summarizePairs(ratios(2.1, 2.3, 1.95, 2.2, 2.15)), TWO_CORES);
    expect(over).toMatchObject({ shown: 2, capped: true, speed: 'faster' });
    const impossible = speedVerdict(summarizePairs(ratios(2.8, 2.9, 2.7)), TWO_CORES);
    expect(impossible).toMatchObject({ shown: null, busy: true, speed: null });
  });

  it('grades a clear class on a busy machine but says its figure is too close to call', () => {
    // tiny-tasks beside two busy loops (bench, load 28): rounds 0.25-0.60x, spread 46 %.
    const TINY: SpeedLimits = { ceiling: 2, reason: '2 processes can compute at once at most' };
    const loaded = speedVerdict(summarizePairs(ratios(0.25, 0.44, 0.6, 0.3, 0.52)), TINY);
    expect(loaded).toMatchObject({ speed: 'slower', busy: false, noisy: true });
    // The same class from pairs that agree: a figure to stand behind.
    const quiet = speedVerdict(summarizePairs(ratios(0.24, 0.25, 0.27, 0.25, 0.26)), TINY);
    expect(quiet).toMatchObject({ speed: 'slower', busy: false, noisy: false });
    // Every busy verdict is noisy too (nothing is ever busy but trusted).
    for (let seed = 1; seed <= 300; seed++) {
      const v = speedVerdict(summarizePairs(series(0.95, BUSY, 5, seed)), GIL);
      if (v.busy) expect(v.noisy).toBe(true);
    }
  });

  it('finds free-threaded work clearly faster on a quiet machine', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const verdict = speedVerdict(summarizePairs(series(1.9, QUIET, 5, seed)), TWO_CORES);
      expect(verdict.speed).toBe('faster');
      expect(gradeSpeedPrediction('faster', verdict)).toBe('right');
    }
  });
});
