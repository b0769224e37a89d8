/**
 * In Run Python (GIL mode's one interpreter where threads share objects, as the browser runs it):
 * every starter fails its exercise's checks (a deadlock or an endless loop ends at the time limit
 * and counts as failing), and a busy speed-up is never a pass.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/exercises/index.ts';
import { pythonSuite } from '../runtime/python/suite.ts';
import { loadExercises } from './exercise-files.ts';

const { runner } = pythonSuite({ prewarm: 3, gilEngine: 'auto' });

describe.each(loadExercises().map((e) => [e.id, e] as const))('%s in Run Python', (_, exercise) => {
  it('the starter fails', async () => {
    const { verdict } = await runCheck(runner, exercise, exercise.starter);
    const allowed = ['failed', 'error', 'timeout', 'busy'];
    expect(allowed, verdict.summary).toContain(verdict.status);
  }, 150_000);
});
