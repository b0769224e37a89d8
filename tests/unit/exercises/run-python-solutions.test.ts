/**
 * In Run Python (the runtime the browser uses, here in Node worker_threads): every solution passes
 * its checks, the runtime's measurements (timeline, speed-ups) included. A speed-up on this shared
 * machine may be "too close to call" (busy), never wrong. The starters run in their own file with
 * their own runner (run-python-starters.test.ts): a deadlocked or endless starter is stopped, and
 * its interpreters are not the solutions' to wait for.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/exercises/index.ts';
import { pythonSuite } from '../runtime/python/suite.ts';
import { loadExercises } from './exercise-files.ts';

const { runner } = pythonSuite({ prewarm: 3 });

describe.each(loadExercises().map((e) => [e.id, e] as const))('%s in Run Python', (_, exercise) => {
  it('the solution passes', async () => {
    const { verdict } = await runCheck(runner, exercise, exercise.solution);
    if (verdict.status === 'unavailable') {
      // Gated on the runtime: only exercises that declared the need may say so.
      expect(exercise.requires).toContain('shared-objects');
      return;
    }
    const allowed = exercise.checks.some((c) => c.speedup) ? ['passed', 'busy'] : ['passed'];
    expect(allowed, `${verdict.summary}\n${verdict.traceback ?? ''}`).toContain(verdict.status);
  }, 150_000);
});
