import { describe, expect, it } from 'vitest';
import { storedProgress } from '../../../src/schemas/progress.ts';
import { parseProgressValue } from '../../../src/components/progress/stored-progress.ts';

/** Values near the edges of the schema: the hand-written check must agree with zod on each. */
const at = '2026-11-21T10:00:00.000Z';
const cases: unknown[] = [
  { version: 1, completed: {}, lastVisited: null },
  { version: 1, completed: { 'lessons/a': { completedAt: at } }, lastVisited: null },
  { version: 1, completed: {}, lastVisited: { lessonId: 'lessons/a', at } },
  {
    version: 1,
    completed: {},
    lastVisited: { lessonId: 'lessons/a', at: '2026-11-21T10:00:00+02:00' },
  },
  { version: 1, completed: {}, lastVisited: { lessonId: 'lessons/a', at: '2026-11-21T10:00:00Z' } },
  { version: 1, completed: {}, lastVisited: null, extra: 'ignored' },
  { version: 1, completed: { 'lessons/a': { completedAt: at, note: 'x' } }, lastVisited: null },
  { version: 1, completed: { 'lessons/a': { completedAt: 'yesterday' } }, lastVisited: null },
  {
    version: 1,
    completed: { 'lessons/a': { completedAt: '2026-13-01T00:00:00Z' } },
    lastVisited: null,
  },
  { version: 1, completed: { 'lessons/a': { completedAt: '2026-11-21' } }, lastVisited: null },
  { version: 1, completed: { 'lessons/a': { completedAt: 42 } }, lastVisited: null },
  { version: 1, completed: { 'lessons/a': true }, lastVisited: null },
  { version: 1, completed: { '': { completedAt: at } }, lastVisited: null },
  { version: 1, completed: { ['x'.repeat(201)]: { completedAt: at } }, lastVisited: null },
  { version: 1, completed: [], lastVisited: null },
  { version: 1, completed: null, lastVisited: null },
  { version: 1, completed: {} },
  { version: 1, completed: {}, lastVisited: 'lessons/a' },
  { version: 1, completed: {}, lastVisited: { lessonId: '', at } },
  { version: 1, completed: {}, lastVisited: { lessonId: 'lessons/a' } },
  { version: 1, completed: {}, lastVisited: { lessonId: 7, at } },
  { completed: {}, lastVisited: null },
  { version: 2, completed: {}, lastVisited: null },
  { version: 2, completed: {}, lastVisited: null, exercises: [] },
  {
    version: 2,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: 'x = 1', savedAt: at, solvedAt: null, extra: 1 } },
  },
  {
    version: 2,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: null, savedAt: at, solvedAt: at } },
  },
  {
    version: 2,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: 1, savedAt: at, solvedAt: null } },
  },
  {
    version: 2,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: '', savedAt: 'x', solvedAt: null } },
  },
  { version: 2, completed: {}, lastVisited: null, exercises: { 'a/b': { code: '', savedAt: at } } },
  {
    version: 2,
    completed: {},
    lastVisited: null,
    exercises: { '': { code: '', savedAt: at, solvedAt: null } },
  },
  { version: 3, completed: {}, lastVisited: null, exercises: {}, quizzes: {} },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: null, savedAt: at, solvedAt: null, checkedAt: at } },
    quizzes: {},
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: null, savedAt: at, solvedAt: null, checkedAt: 'today' } },
    quizzes: {},
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: { 'a/b': { code: null, savedAt: at, solvedAt: null, checkedAt: null } },
    quizzes: {},
  },
  { version: 3, completed: {}, lastVisited: null, exercises: {} },
  { version: 3, completed: {}, lastVisited: null, exercises: {}, quizzes: [] },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: { 'lessons/a#q': { questions: 3, answers: {}, extra: 1 } },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: {
      'lessons/a#q': {
        questions: 50,
        answers: { '1': { answer: '', right: false, answeredAt: at, note: 'x' } },
      },
    },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: {
      'lessons/a#q': {
        questions: 3,
        answers: { '99': { answer: '1', right: true, answeredAt: at } },
      },
    },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: {
      'lessons/a#q': {
        questions: 3,
        answers: { '01': { answer: '1', right: true, answeredAt: at } },
      },
    },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: { 'lessons/a#q': { questions: 0, answers: {} } },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: { '': { questions: 1, answers: {} } },
  },
  {
    version: 3,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: { 'lessons/a#q': { questions: 1 } },
  },
];

/** Older values (the cases above) reach the schema migrated, as the store reads them. */
function migrated(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const version = (value as { version?: unknown }).version;
  if (version === 1) return migrated({ ...value, version: 2, exercises: {} });
  if (version === 2) return { ...value, version: 3, quizzes: {} };
  return value;
}

describe('the dependency-free check of stored progress', () => {
  for (const value of cases) {
    it(`agrees with the zod schema on ${JSON.stringify(value).slice(0, 90)}`, () => {
      const zod = storedProgress.safeParse(migrated(value));
      const hand = parseProgressValue(value);
      expect(hand.ok).toBe(zod.success);
      if (hand.ok && zod.success) expect(hand.progress).toEqual(zod.data);
    });
  }
});
