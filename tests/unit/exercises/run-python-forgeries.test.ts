/**
 * In Run Python (the runtime the browser uses; GIL mode's one interpreter, here in Node): no
 * hostile program forges a pass (tests/unit/exercises/forgeries.ts); the race exercise's fake
 * (arithmetic, no threads) fails too, and so does its solution returning an object equal to
 * anything (same() in Run Python's interpreter; every exercise's liar: strict-comparison.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/exercises/index.ts';
import { pythonSuite } from '../runtime/python/suite.ts';
import { fakes, forgeries, liars } from './forgeries.ts';
import { loadExercises } from './exercise-files.ts';

const { runner } = pythonSuite({ prewarm: 1, gilEngine: 'auto' });

describe.each(forgeries().map((f) => [f.name, f] as const))('forgery: %s', (_, forgery) => {
  it('fails in Run Python', async () => {
    const ex = loadExercises().find((e) => e.id === forgery.exerciseId)!;
    const { verdict } = await runCheck(runner, ex, forgery.code, { timeLimitS: 20 });
    expect(['failed', 'error', 'timeout'], verdict.summary).toContain(verdict.status);
  }, 60_000);
});

describe('a fake in Run Python', () => {
  it('lock-the-counter: threads * n without a thread fails', async () => {
    const fake = fakes().find((f) => f.exerciseId === 'race-conditions/lock-the-counter')!;
    const ex = loadExercises().find((e) => e.id === fake.exerciseId)!;
    const { verdict } = await runCheck(runner, ex, fake.code, { timeLimitS: 20 });
    expect(verdict.status).toBe('failed');
    expect(verdict.summary).toMatch(/add\(\) ran in 0 thread/);
  }, 60_000);
});

describe('a liar in Run Python', () => {
  it('lock-the-counter: the locked solution returning an object equal to anything fails', async () => {
    const liar = liars().find((l) => l.exerciseId === 'race-conditions/lock-the-counter')!;
    const ex = loadExercises().find((e) => e.id === liar.exerciseId)!;
    const { verdict } = await runCheck(runner, ex, liar.code, { timeLimitS: 20 });
    expect(verdict.status).toBe('failed');
    expect(verdict.summary).toContain('Liar of 200');
  }, 60_000);
});
