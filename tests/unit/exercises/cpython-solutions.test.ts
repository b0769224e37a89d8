/**
 * On real CPython (python3): every solution passes its exercise's checks, and every starter fails
 * them, unless the starter's fault only shows in Run Python's measurements (the timeline or a
 * speed-up), which CPython does not give.
 */
import { describe, expect, it } from 'vitest';
import { checkOnCPython } from './cpython.ts';
import { loadExercises } from './exercise-files.ts';

const onlyMeasured = (e: ReturnType<typeof loadExercises>[number]) =>
  e.checks.some((c) => c.timeline || c.speedup);

describe.each(loadExercises().map((e) => [e.id, e] as const))('%s on python3', (_, exercise) => {
  it('the solution passes', () => {
    const { verdict, stderr } = checkOnCPython(exercise, exercise.solution);
    expect(verdict.status, `${verdict.summary}\n${verdict.traceback ?? ''}\n${stderr}`).toBe(
      'passed',
    );
  });
  it.skipIf(onlyMeasured(exercise))('the starter fails', () => {
    const { verdict } = checkOnCPython(exercise, exercise.starter);
    expect(['failed', 'error', 'timeout'], verdict.summary).toContain(verdict.status);
  });
});
