import { describe, expect, it } from 'vitest';
import { lessonQuizText, summarizeQuizzes } from '../../../src/components/progress/quiz-results.ts';
import type { CourseOutline, StoredProgress } from '../../../src/schemas/progress.ts';

const outline: CourseOutline = [1, 2, 3].map((order) => ({
  id: `lessons/l${order}`,
  title: `Lesson ${order}`,
  order,
  href: `/lessons/l${order}/`,
  exercises: [],
}));
const at = '2025-05-03T10:00:00.000Z';
const answer = (right: boolean) => ({ answer: '0', right, answeredAt: at });
const progress = (quizzes: StoredProgress['quizzes']): StoredProgress => ({
  version: 3,
  completed: {},
  lastVisited: null,
  exercises: {},
  quizzes,
});

describe('quiz results', () => {
  it('counts each lesson’s last answers, right ones apart, in course order', () => {
    const results = summarizeQuizzes(
      progress({
        'lessons/l2#check-yourself': {
          questions: 4,
          answers: { '1': answer(true), '2': answer(false), '3': answer(true), '4': answer(true) },
        },
        'lessons/l1#check-yourself': { questions: 3, answers: { '2': answer(false) } },
        // A lesson that is no longer built does not count; nor does a prefix look-alike.
        'lessons/gone#check-yourself': { questions: 2, answers: { '1': answer(true) } },
        'lessons/l10#check-yourself': { questions: 2, answers: { '1': answer(true) } },
      }),
      outline,
    );
    expect(results.lessons.map(lessonQuizText)).toEqual([
      '1 of 3 answered, 0 right',
      '3 of 4 right',
      'not tried yet',
    ]);
    expect(results).toMatchObject({ answered: 5, right: 3 });
  });

  it('is empty for a reader who has answered nothing', () => {
    const results = summarizeQuizzes(progress({}), outline);
    expect(results).toMatchObject({ answered: 0, right: 0 });
    expect(results.lessons).toHaveLength(3);
  });
});
