import { describe, expect, it } from 'vitest';
import { composeCheckProgram } from '../../../src/exercises/index.ts';
import { interpretersFor, startsProcesses } from '../../../src/runtime/index.ts';
import { exercise } from '../../../src/schemas/exercise.ts';
import { loadExercises } from './exercise-files.ts';

const entry = {
  id: 'lesson/x',
  ...exercise.parse({
    title: 'X',
    task: 'x',
    starter: 'x = 1',
    solution: 'x = 2',
    hints: ['a', 'b'],
    checks: [
      { name: 'x is 2', python: 'assert x == 2, f"x is {x}"' },
      {
        name: 'fast',
        speedup: { baseline: 'slow()', candidate: 'fast()', atLeast: 1.5, ceiling: 2 },
      },
    ],
  }),
};

describe('composeCheckProgram', () => {
  it('carries the reader’s code unchanged as one string, for the harness to run under its own name', () => {
    const code = 'x = 2\ny = "\u00e9\\n"\n';
    const { source } = composeCheckProgram(entry, code);
    // JSON's string syntax is Python's too: the literal is the code, character for character.
    expect(source).toContain(`__gil_lab_reader = ${JSON.stringify(code)}\n`);
    expect(source).not.toMatch(/^x = 2$/m);
  });

  it('runs the harness only as the main program; another interpreter runs the reader’s code alone', () => {
    const { source } = composeCheckProgram(entry, 'x = 2');
    const topLevel = source.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('#'));
    expect(topLevel).toEqual([
      expect.stringMatching(/^__gil_lab_reader = /),
      'if __name__ == "__main__":',
      'try:',
      'except Exception:',
    ]);
    expect(source).toContain(JSON.stringify('assert x == 2, f"x is {x}"'));
    // No token is in the program: the harness makes one when it starts (a program can read its
    // own source, so a token written there could be printed by it).
    expect(source).not.toMatch(/[0-9a-f]{32}/);
  });

  it('leaves speed-ups out when asked (real CPython runs the asserts only)', () => {
    expect(composeCheckProgram(entry, 'x = 2').source).toContain('("slow()", "fast()", None, 5)');
    expect(composeCheckProgram(entry, 'x = 2', { withSpeedups: false }).source).not.toContain(
      '"slow()"',
    );
  });

  it('leaves the engine to the reader’s code: the harness names no process pool and no thread', () => {
    // Run Python picks its engine and boots interpreters from the source it runs: the harness,
    // part of every check's source, must not make a program about threads look like one that
    // starts processes (its threads would then share no objects) or ask for more interpreters.
    const { source } = composeCheckProgram(entry, 'x = 2');
    expect(startsProcesses(source)).toBe(false);
    expect(interpretersFor(source)).toBe(interpretersFor('x = 2'));
  });

  it.each(loadExercises().map((e) => [e.id, e] as const))(
    '%s: its checks start processes only where the code checked names them',
    (_, ex) => {
      // A check whose text names a process pool would move threads that share objects onto
      // the engine where they share none (its starter would then be judged on copies).
      for (const code of [ex.starter, ex.solution]) {
        const { source } = composeCheckProgram(ex, code);
        expect(startsProcesses(source)).toBe(startsProcesses(code));
      }
    },
  );
});
