import { describe, expect, it } from 'vitest';
import { judgeNumeric, parseNumericAnswer } from '../../../src/components/quiz/numeric-answer';
import { inlineCode } from '../../../src/components/quiz/inline-code';

describe('reading a typed number', () => {
  it.each([
    ['5', 5],
    [' 0.5 ', 0.5],
    ['.5', 0.5],
    ['1,5', 1.5],
    ['78,400', 78400],
    ['78 400', 78400],
    ['-3', -3],
    ['1e3', 1000],
    ['5 ms', 5],
    ['2x', 2],
    ['2×', 2],
  ])('reads %j as %d', (input, expected) => {
    expect(parseNumericAnswer(input)).toBe(expected);
  });

  it.each(['', 'five', '1.2.3', 'ms', '--1'])('refuses %j', (input) => {
    expect(parseNumericAnswer(input)).toBeNull();
  });
});

describe('judging a number', () => {
  it('accepts the answer and anything within the tolerance, inclusive', () => {
    expect(judgeNumeric(5, 5, 0)).toBe('right');
    expect(judgeNumeric(5.5, 5, 0.5)).toBe('right');
    expect(judgeNumeric(0.1 + 0.2, 0.3, 0)).toBe('right');
  });

  it('says which side a wrong reply is on', () => {
    expect(judgeNumeric(4, 5, 0.5)).toBe('low');
    expect(judgeNumeric(6, 5, 0.5)).toBe('high');
  });
});

describe('inline code in quiz text', () => {
  it('splits on backticks', () => {
    expect(inlineCode('Is `counter += 1` atomic?')).toEqual([
      { code: false, text: 'Is ' },
      { code: true, text: 'counter += 1' },
      { code: false, text: ' atomic?' },
    ]);
  });
});
