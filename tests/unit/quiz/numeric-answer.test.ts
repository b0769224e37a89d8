import { describe, expect, it } from 'vitest';
import { judgeNumeric, parseNumericAnswer } from '../../../src/components/quiz/numeric-answer.ts';
import { inlineCode } from '../../../src/components/quiz/inline-code.ts';

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

  it.each(['', 'five', '1.2.3', 'ms', '--1', '1/0', '1/', '/20', '%', '5%%', '1/2/3'])(
    'refuses %j',
    (input) => {
      expect(parseNumericAnswer(input)).toBeNull();
    },
  );

  it.each([
    ['1/20', 0.05],
    [' 1 / 20 ', 0.05],
    ['3/4', 0.75],
    ['-1/4', -0.25],
    ['1,5/3', 0.5],
  ])('divides out the fraction %j', (input, expected) => {
    expect(parseNumericAnswer(input)).toBeCloseTo(expected, 12);
  });

  it('reads a percentage as a fraction when the question has no unit', () => {
    expect(parseNumericAnswer('5%')).toBeCloseTo(0.05, 12);
    expect(parseNumericAnswer('5 %')).toBeCloseTo(0.05, 12);
    expect(parseNumericAnswer('12.5%')).toBeCloseTo(0.125, 12);
  });

  it('reads a percentage as typed when the question asks in %', () => {
    expect(parseNumericAnswer('40%', '%')).toBe(40);
    expect(parseNumericAnswer('40', '%')).toBe(40);
  });

  it('judges 5%, 1/20 and 0.05 alike against an answer of 0.05', () => {
    for (const reply of ['5%', '1/20', '0.05', ',05']) {
      const value = parseNumericAnswer(reply);
      expect(value, reply).not.toBeNull();
      expect(judgeNumeric(value ?? NaN, 0.05, 0.005), reply).toBe('right');
    }
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
