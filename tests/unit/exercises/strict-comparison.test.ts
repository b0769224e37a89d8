/**
 * The checks compare with `same()` (src/exercises/harness.py), never `==`: on python3, same()
 * tells exact types and values apart without calling the reader's methods, and for every exercise
 * whose checks compare a returned value, a solution that returns objects equal to anything
 * (tests/unit/exercises/forgeries.ts, liars()) fails; with the checks' old `==` put back, the
 * same program passes, so each liar is one the checks could have been fooled by.
 */
import { describe, expect, it } from 'vitest';
import { checkOnCPython, checkOnCPythonAsync } from './cpython.ts';
import { liars, type LiarForgery } from './forgeries.ts';
import type { ExerciseEntry } from '../../../src/schemas/exercise.ts';
import { loadExercises } from './exercise-files.ts';
import { makeExercise } from './make-exercise.ts';

describe('same() in a check, on python3', () => {
  it('is exact: types, values, recursively; no method of the reader’s is called', () => {
    const ex = makeExercise([
      {
        name: 'same',
        python: [
          'class Int(int):',
          '    def __eq__(self, other):',
          '        return True',
          '    __hash__ = int.__hash__',
          'loop = []',
          'loop.append(loop)',
          'assert same([1, (2.5, "a"), {"k": {3}}, None, b"x"], [1, (2.5, "a"), {"k": {3}}, None, b"x"])',
          'assert same({1: [2]}, {1: [2]}) and same(frozenset({(1, 2)}), frozenset({(1, 2)}))',
          'assert same(float("nan"), float("nan"))',
          'for got, want in [(1, 1.0), (True, 1), (Int(1), 1), ([Int(1)], [1]), ((1,), [1]),',
          '                  ({1: 2}, {1: 3}), ({True}, {1}), ({"k": Int(3)}, {"k": 3}), ([1, 2], [1]),',
          '                  ({Int(1): 1}, {1: 1}), (loop, [[]]), ("a", "b")]:',
          '    assert not same(got, want), f"same({got!r}, {want!r})"',
          'assert same(reader_same(), "mine")',
        ].join('\n'),
      },
    ]);
    // A `same` of the reader's never stands in for the checks' one.
    const code = 'def same(a, b):\n    return True\n\ndef reader_same():\n    return "mine"\n';
    const { verdict, stderr } = checkOnCPython(ex, code);
    expect(verdict.status, `${verdict.summary}\n${stderr}`).toBe('passed');
  });
});

/** The exercise with the checks' old `==` put back (and their other strictness undone). */
function loosened(liar: LiarForgery): ExerciseEntry {
  const ex = loadExercises().find((e) => e.id === liar.exerciseId)!;
  return {
    ...ex,
    checks: ex.checks.map((c) => ({
      ...c,
      python: liar.loosen.reduce((p, [from, to]) => p.replace(from, to), c.python),
    })),
  };
}

// Side by side (it.concurrent): the checks mostly sleep, a few seconds in all one after the other.
describe('a solution returning objects that equal anything', () => {
  it.concurrent.each(liars().map((l) => [l.name, l] as const))('%s: fails', async (_, liar) => {
    const ex = loadExercises().find((e) => e.id === liar.exerciseId)!;
    const { verdict } = await checkOnCPythonAsync(ex, liar.code);
    expect(verdict.status, verdict.summary).toBe('failed');
  });
  it.concurrent.each(liars().map((l) => [l.name, l] as const))(
    '%s: would pass checks that compare with ==',
    async (_, liar) => {
      const { verdict, stderr } = await checkOnCPythonAsync(loosened(liar), liar.code);
      expect(verdict.status, `${verdict.summary}\n${verdict.traceback ?? ''}\n${stderr}`).toBe(
        'passed',
      );
    },
  );
});
