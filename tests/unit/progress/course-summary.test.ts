import { describe, expect, it } from 'vitest';
import {
  exercisesText,
  normalizePath,
  progressText,
  summarizeCourse,
} from '../../../src/components/progress/course-summary.ts';
import type { CourseOutline, StoredProgress } from '../../../src/schemas/progress.ts';

const outline: CourseOutline = [1, 2, 3].map((order) => ({
  id: `lessons/l${order}`,
  title: `Lesson ${order}`,
  order,
  href: `/gil-lab/lessons/l${order}/`,
  exercises: [`l${order}/a`, `l${order}/b`],
}));
const done = { completedAt: '2025-05-03T10:00:00.000Z' };
const progress = (completed: string[], lastVisited: string | null = null): StoredProgress => ({
  version: 3,
  completed: Object.fromEntries(completed.map((id) => [id, done])),
  lastVisited: lastVisited ? { lessonId: lastVisited, at: done.completedAt } : null,
  exercises: {},
  quizzes: {},
});

describe('course summary', () => {
  it('starts a fresh reader at the first lesson', () => {
    const summary = summarizeCourse(progress([]), outline);
    expect(summary).toMatchObject({ completed: 0, total: 3, fresh: true });
    expect(summary.next?.id).toBe('lessons/l1');
  });

  it('continues with the first lesson not completed', () => {
    const summary = summarizeCourse(progress(['lessons/l1', 'lessons/l3']), outline);
    expect(summary).toMatchObject({ completed: 2, fresh: false });
    expect(summary.next?.id).toBe('lessons/l2');
  });

  it('prefers the last visited lesson if it is unfinished', () => {
    const summary = summarizeCourse(progress(['lessons/l1'], 'lessons/l3'), outline);
    expect(summary.next?.id).toBe('lessons/l3');
  });

  it('skips a last visited lesson that is already complete', () => {
    const summary = summarizeCourse(progress(['lessons/l1'], 'lessons/l1'), outline);
    expect(summary.next?.id).toBe('lessons/l2');
  });

  it('has nowhere to continue once every lesson is complete', () => {
    const summary = summarizeCourse(progress(['lessons/l1', 'lessons/l2', 'lessons/l3']), outline);
    expect(summary.next).toBeNull();
    expect(progressText(summary)).toBe('3 of 3 lessons complete');
  });

  it('does not count lessons that are no longer in the course', () => {
    const summary = summarizeCourse(progress(['lessons/removed'], 'lessons/removed'), outline);
    expect(summary).toMatchObject({ completed: 0, total: 3 });
    expect(summary.next?.id).toBe('lessons/l1');
  });

  it('says "lesson" for a one-lesson course', () => {
    expect(
      progressText({
        completed: 0,
        total: 1,
        next: null,
        fresh: true,
        solvedExercises: 0,
        totalExercises: 0,
      }),
    ).toBe('0 of 1 lesson complete');
  });

  it('compares paths with or without a trailing slash', () => {
    expect(normalizePath('/gil-lab/lessons/l1/')).toBe(normalizePath('/gil-lab/lessons/l1'));
    expect(normalizePath('/')).toBe('/');
  });
});

describe('solved exercises in the summary', () => {
  it('counts the outline’s exercises solved, ignoring ones no longer in the course', () => {
    const at = '2025-05-03T10:00:00.000Z';
    const p = {
      ...progress([]),
      exercises: {
        'l1/a': { code: 'x', savedAt: at, solvedAt: at },
        'l2/b': { code: 'y', savedAt: at, solvedAt: null },
        'gone/x': { code: 'z', savedAt: at, solvedAt: at },
      },
    };
    const summary = summarizeCourse(p, outline);
    expect(summary).toMatchObject({ solvedExercises: 1, totalExercises: 6 });
    expect(exercisesText(summary)).toBe('1 of 6 exercises solved');
  });
});
