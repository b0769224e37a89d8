import { describe, expect, it } from 'vitest';
import { explanation, runSummary } from '../../../src/components/experiment/run-summary.ts';
import { rateVerdict, summarizeRates, type RunResult } from '../../../src/runtime/index.ts';
import { ExperimentSettingsSchema } from '../../../src/schemas/experiment.ts';

const settings = (s: Record<string, unknown>) => ExperimentSettingsSchema.parse(s);
/** The few fields the sentences read; a convoy's rate comes from its repeated runs. */
const result = { wallMs: 1000, speedup: null, race: null, overlapMs: 0 } as unknown as RunResult;

describe('the sentences after a run', () => {
  it('explains an I/O wall time in plain words, never "1 calls"', () => {
    const io = { workload: 'io', executor: 'threads', mode: 'gil', taskMs: 250 };
    const four = explanation('wallMs', settings({ ...io, workers: 4 }), result);
    expect(four).toMatch(/^One after another, 4 calls of 250 ms would take 1\.00 s/);
    const one = explanation('wallMs', settings({ ...io, workers: 1 }), result);
    expect(one).not.toMatch(/\b1 calls\b/);
    expect(one).toMatch(/^One call of 250 ms/);
  });

  it('says a busy machine instead of a convoy rate whose runs disagree', () => {
    const convoy = settings({ workload: 'mixed', executor: 'threads', workers: 2, mode: 'gil' });
    const rate = (rates: number[]) => {
      const summary = summarizeRates(rates);
      return { rates, summary, verdict: rateVerdict(summary) };
    };
    const busy = runSummary(convoy, result, null, rate([81, 221, 150, 120]));
    expect(busy).toContain('your machine is busy');
    expect(busy).not.toMatch(/round trips per second/);
    expect(runSummary(convoy, result, null, rate([185, 181, 188]))).toContain(
      'the I/O thread made 185 round trips per second (median of 3 runs)',
    );
  });
});
