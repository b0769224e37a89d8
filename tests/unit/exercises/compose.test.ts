import { describe, expect, it } from 'vitest';
import { composeCheckProgram } from '../../../src/exercises/index.ts';
import { exercise } from '../../../src/schemas/exercise.ts';

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
  it('keeps the reader’s code first and unchanged, so tracebacks keep their line numbers', () => {
    const { source, readerLines } = composeCheckProgram(entry, 'x = 2\ny = 3', { token: 'T' });
    expect(source.startsWith('x = 2\ny = 3\n')).toBe(true);
    expect(readerLines).toBe(2);
  });

  it('runs the checks only as the main program (never in a thread’s or process’s import)', () => {
    const { source } = composeCheckProgram(entry, 'x = 2', { token: 'T' });
    const after = source.slice('x = 2\n'.length);
    const topLevel = after.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('#'));
    expect(topLevel).toEqual(['if __name__ == "__main__":']);
    expect(after).toContain('        assert x == 2, f"x is {x}"');
  });

  it('leaves speed-ups out when asked (real CPython runs the asserts only)', () => {
    expect(composeCheckProgram(entry, 'x = 2', { token: 'T' }).source).toContain(
      'lambda: (slow())',
    );
    expect(
      composeCheckProgram(entry, 'x = 2', { token: 'T', withSpeedups: false }).source,
    ).not.toContain('lambda: (slow())');
  });
});
