import { describe, expect, it } from 'vitest';
import {
  rateVerdict,
  speedLimits,
  speedVerdict,
  summarizePairs,
  summarizeRates,
  type Comparison,
  type SpeedLimits,
} from '../../../src/runtime/index.ts';
import {
  busyGuessWords,
  gapWords,
  premiseWords,
  rateWords,
  speedPredictionWords,
  stoppedWords,
  speedupCheckable,
  speedupWords,
} from '../../../src/components/experiment/verdict-words.ts';
import { ExperimentSettingsSchema } from '../../../src/schemas/experiment.ts';

const GIL: SpeedLimits = speedLimits(
  { mode: 'gil', executor: 'threads', workers: 2, workload: { name: 'countdown' } },
  2,
);
const FREE: SpeedLimits = speedLimits(
  { mode: 'free-threaded', executor: 'threads', workers: 2, workload: { name: 'countdown' } },
  2,
);

function comparison(speedups: number[], limits: SpeedLimits): Comparison {
  const summary = summarizePairs(speedups.map((x) => ({ baselineMs: 100 * x, runMs: 100 })));
  return {
    summary,
    limits,
    verdict: speedVerdict(summary, limits),
    stoppedBy: 'budget',
    speedups,
  };
}

describe('words for a measured comparison', () => {
  it('gives the figure with its pairs and spread, and the verdict', () => {
    const words = speedupWords(comparison([0.95, 0.97, 0.96, 0.98, 0.94], GIL));
    expect(words).toBe(
      '0.96× the speed of a plain loop (median of 5 pairs, middle half 0.95–0.97×): about as fast as the plain loop.',
    );
  });

  it('says a busy machine is too close to call and grades nothing', () => {
    const busy = comparison([1.21, 0.99, 0.6, 1.4, 0.49, 0.71, 0.91], GIL);
    expect(speedupWords(busy)).toContain(
      'Your machine is busy: this comparison is too close to call.',
    );
    const feedback = speedPredictionWords('faster', busy);
    expect(feedback).toContain('cannot check your prediction');
    expect(feedback).not.toMatch(/as you expected|and it was/);
  });

  it('explains a wrong "faster" on the GIL with the physics, without contradicting itself', () => {
    const words = speedPredictionWords('faster', comparison([0.95, 0.97, 0.96, 0.98, 0.94], GIL));
    expect(words).toBe(
      'You predicted faster; it ran about as fast as the plain loop (0.96×). Threads running Python code on one GIL take turns.',
    );
  });

  it('says a figure is too close to call when the pairs disagree, even with a clear class', () => {
    const TINY = speedLimits(
      {
        mode: 'processes',
        executor: 'processes',
        workers: 2,
        tasks: 1000,
        workload: { name: 'countdown' },
      },
      2,
    );
    const loaded = comparison([0.25, 0.44, 0.6, 0.3, 0.52], TINY);
    expect(speedupWords(loaded)).toBe(
      '0.44× the speed of a plain loop (median of 5 pairs, middle half 0.30–0.52×). Your machine is busy: the pairs disagree, so this figure is too close to call; that it ran slower than the plain loop is clear.',
    );
    expect(speedPredictionWords('slower', loaded)).toBe(
      'You predicted slower, and it was: 0.44×, though your busy machine makes that figure too close to call.',
    );
    expect(speedupCheckable(loaded)).toBe(false);
  });

  it('never shows more than the cores allow', () => {
    const over = comparison([2.1, 2.2, 1.98, 2.15, 2.05], FREE);
    expect(speedupWords(over)).toMatch(/^2\.00×, the most possible here \(2 threads can compute/);
    const impossible = comparison([2.8, 2.9, 2.7], FREE);
    expect(speedupWords(impossible)).toMatch(/^Your machine is busy/);
    expect(speedupWords(impossible)).not.toMatch(/^2\.8/);
  });
});

describe('words for predictions', () => {
  it('puts a numeric guess beside the measurement', () => {
    expect(gapWords(1000, 262)).toBe('about 1/3.8 of your guess');
    expect(gapWords(250, 262)).toBe('close to your guess');
    expect(gapWords(100, 520)).toBe('about 5.2× your guess');
  });

  it('checks a guessed speed-up only against a figure the pairs stand behind', () => {
    expect(speedupCheckable(comparison([0.95, 0.97, 0.96, 0.98, 0.94], GIL))).toBe(true);
    // Busy, above what physics allows, or no pairs at all: never "it measured 0.0×".
    expect(speedupCheckable(comparison([1.21, 0.99, 0.6, 1.4, 0.49, 0.71, 0.91], GIL))).toBe(false);
    expect(speedupCheckable(comparison([2.8, 2.9, 2.7], FREE))).toBe(false);
    expect(speedupCheckable(null)).toBe(false);
    const words = busyGuessWords('1.5', '×');
    expect(words).toBe(
      'You guessed 1.5×. Your machine is busy, so this figure is too close to call and cannot check your guess. Run it again, ideally with other programs closed.',
    );
  });

  it('names a different setup in plain words, never "1 threads"', () => {
    const premise = ExperimentSettingsSchema.parse({ workload: 'cpu', workers: 2, mode: 'gil' });
    const ran = ExperimentSettingsSchema.parse({
      workload: 'cpu',
      workers: 1,
      mode: 'free-threaded',
    });
    const words = premiseWords(ran, premise);
    expect(words).toBe(
      'Your prediction was about counting down on 2 threads with the GIL on (switch interval 5 ms); this run was counting down on 1 thread with the GIL off, so it does not check it. Set it back to check your prediction.',
    );
  });
});

describe('words for a rate over repeated runs (the convoy)', () => {
  const shown = (rates: number[]) => {
    const summary = summarizeRates(rates);
    return { rates, summary, verdict: rateVerdict(summary) };
  };

  it('gives the median with its spread when the runs agree', () => {
    expect(rateWords(shown([185, 181, 188]))).toBe(
      '185 round trips per second (median of 3 runs, middle half 183/s–187/s)',
    );
  });

  it('says the machine is busy, and never grades, when the runs disagree or are too few', () => {
    const wide = rateWords(shown([81, 221, 150, 120]));
    expect(wide).toMatch(
      /^135 round trips per second \(median of 4 runs, middle half 110\/s–168\/s\)\. Your machine is busy: the runs disagree too much, so this figure is too close to call\./,
    );
    expect(rateWords(shown([185, 120]))).toMatch(/\(2 runs\)\. Your machine is busy: too few runs/);
    expect(
      rateWords({ rates: [null], summary: null, verdict: { busy: true, why: 'few' } }),
    ).toMatch(/Your machine is busy/);
  });
});

describe('what Stop says', () => {
  const gil = ExperimentSettingsSchema.parse({ workload: 'cpu', workers: 1, mode: 'gil' });

  it('says when, in which phase and which run it stopped, then finishes its message', () => {
    const now = stoppedWords('1.87 s', 'measuring pair 2', gil, false);
    expect(now).toBe(
      'Stopped after 1.87 s, while measuring pair 2: the run of counting down on 1 thread with the GIL on (switch interval 5 ms). Nothing of it was measured to show. Its workers are being stopped…',
    );
    const later = stoppedWords('1.87 s', 'measuring pair 2', gil, true);
    expect(later).toMatch(/Its workers have stopped; press Run to start again\.$/);
    expect(later).not.toMatch(/being stopped/);
  });
});
