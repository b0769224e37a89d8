import { describe, expect, it } from 'vitest';
import { parseQuiz, QuizSchema } from '../../../src/schemas/quiz.ts';

const choice = {
  kind: 'choice',
  prompt: 'Which one?',
  choices: [
    { text: 'This one', correct: true, explanation: 'Because.' },
    { text: 'That one', explanation: 'Because not.' },
  ],
} as const;

const numeric = {
  kind: 'numeric',
  prompt: 'How many ms?',
  answer: 5,
  tolerance: 0.5,
  unit: 'ms',
  explanation: 'The default switch interval.',
} as const;

/** The error message a quiz produces, or '' when it is valid. */
function errorOf(props: unknown): string {
  try {
    parseQuiz(props, '/lessons/test/');
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('quiz props', () => {
  it('accepts both kinds of question and fills in the defaults', () => {
    const quiz = QuizSchema.parse({ questions: [choice, numeric] });
    expect(quiz.title).toBe('Check yourself');
    expect(quiz.headingLevel).toBe(2);
    expect(quiz.questions[0]).toMatchObject({ kind: 'choice' });
    expect(quiz.questions[1]).toMatchObject({ kind: 'numeric', tolerance: 0.5 });
  });

  it('defaults a choice to wrong and a tolerance to exact', () => {
    const quiz = QuizSchema.parse({ questions: [choice, { ...numeric, tolerance: undefined }] });
    const [first, second] = quiz.questions;
    expect(first?.kind === 'choice' && first.choices[1]?.correct).toBe(false);
    expect(second?.kind === 'numeric' && second.tolerance).toBe(0);
  });

  it('names the page and the question when no choice is right', () => {
    const message = errorOf({
      questions: [
        numeric,
        { ...choice, choices: choice.choices.map((c) => ({ ...c, correct: false })) },
      ],
    });
    expect(message).toContain('/lessons/test/');
    expect(message).toContain('exactly one choice must have correct: true (found 0)');
    expect(message).toContain('questions[1].choices');
  });

  it('rejects two right answers', () => {
    const both = { ...choice, choices: choice.choices.map((c) => ({ ...c, correct: true })) };
    expect(errorOf({ questions: [both] })).toContain('(found 2)');
  });

  it('requires an explanation for every choice', () => {
    const message = errorOf({
      questions: [{ ...choice, choices: [choice.choices[0], { text: 'No reason' }] }],
    });
    expect(message).toContain('questions[0].choices[1].explanation');
  });

  it('rejects an unknown kind of question', () => {
    expect(errorOf({ questions: [{ ...numeric, kind: 'essay' }] })).toContain('kind must be');
  });

  it('rejects unknown fields, so a typo does not pass silently', () => {
    expect(errorOf({ questions: [{ ...numeric, tolerence: 1 }] })).toContain('tolerence');
  });

  it('rejects a negative tolerance and a quiz with no questions', () => {
    expect(errorOf({ questions: [{ ...numeric, tolerance: -1 }] })).toContain(
      'questions[0].tolerance',
    );
    expect(errorOf({ questions: [] })).toContain('at least one question');
  });

  it('catches an unpaired backtick in text', () => {
    expect(errorOf({ questions: [{ ...numeric, prompt: 'Is `x fast?' }] })).toContain(
      'unpaired backtick',
    );
  });
});
