/**
 * The committed CPython reference (src/data/cpython-reference.json) must match its schema and be
 * internally consistent (medians of the stored runs, ratios of the stored medians), and show the
 * facts the lessons rely on.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cpythonReferenceSchema,
  findConvoyMeasurement,
} from '../../../src/schemas/cpython-reference.ts';
import { checkConsistency } from './consistency.ts';

const jsonPath = fileURLToPath(
  new URL('../../../src/data/cpython-reference.json', import.meta.url),
);
const raw: unknown = JSON.parse(readFileSync(jsonPath, 'utf8'));

describe('src/data/cpython-reference.json', () => {
  const parsed = cpythonReferenceSchema.safeParse(raw);

  it('matches the schema', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('is a full CPython run with the GIL', () => {
    const ref = cpythonReferenceSchema.parse(raw);
    expect(ref.mode).toBe('full');
    expect(ref.python.implementation).toBe('CPython');
    expect(ref.python.gilEnabled).toBe(true);
    expect(Number.isNaN(Date.parse(ref.measuredAt))).toBe(false);
  });

  it('is internally consistent', () => {
    expect(checkConsistency(cpythonReferenceSchema.parse(raw))).toEqual([]);
  });

  it('shows the facts the lessons teach', () => {
    const ref = cpythonReferenceSchema.parse(raw);
    const { race, ioThreads } = ref.experiments;
    // The GIL does not make `tmp = counter; f(); counter = tmp + 1` atomic…
    expect(race.variants.callBetween.medianLostShare).toBeGreaterThan(0);
    // …a Lock does; and on 3.11 the plain loop has no switch point between read and write.
    expect(race.variants.locked.maxLostShare).toBe(0);
    if (ref.python.version.startsWith('3.11.')) expect(race.variants.plain.maxLostShare).toBe(0);
    // Sleeping threads overlap: clearly faster than sequential even on a loaded machine.
    expect(ioThreads.threaded.speedup).toBeGreaterThan(2);
    // The convoy grid can be looked up by interval and CPU-thread count.
    expect(findConvoyMeasurement(ref, 5, 1)?.cpuThreads).toBe(1);
  });

  it('consistency check notices tampered figures', () => {
    const tampered = cpythonReferenceSchema.parse(structuredClone(raw));
    tampered.experiments.countdown.threads2.ratioVsSequential += 0.01;
    tampered.experiments.native.zlib.threaded.medianS *= 1.1;
    tampered.experiments.race.variants.locked.actualTotals[0]! -= 1;
    const problems = checkConsistency(tampered);
    expect(problems.some((p) => p.startsWith('countdown.threads2.ratio'))).toBe(true);
    expect(problems.some((p) => p.startsWith('native.zlib.threaded.medianS'))).toBe(true);
    expect(problems.some((p) => p.startsWith('race.locked'))).toBe(true);
  });
});
