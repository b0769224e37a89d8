import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MOVED_EXERCISES,
  emptyProgress,
  parseProgressValue,
  readStoredProgress,
  serializeProgress,
} from '../../../src/components/progress/stored-progress.ts';
import { PROGRESS_SCHEMA_VERSION, storedProgress } from '../../../src/schemas/progress.ts';

const exerciseFile = (id: string) =>
  fileURLToPath(new URL(`../../../src/content/exercises/${id}.yaml`, import.meta.url));

const v1 = {
  version: 1,
  completed: { 'lessons/what-is-the-gil': { completedAt: '2025-05-03T10:00:00.000Z' } },
  lastVisited: { lessonId: 'lessons/what-is-the-gil', at: '2025-05-03T09:40:00.000Z' },
};
const v2 = {
  ...v1,
  version: 2,
  exercises: {
    'race-conditions/lock-the-counter': {
      code: 'import threading\n',
      savedAt: '2025-05-03T10:05:00.000Z',
      solvedAt: '2025-05-03T10:06:00.000Z',
    },
  },
};
const QUIZ = 'lessons/what-is-the-gil#check-yourself';
const answer = { answer: '1', right: true, answeredAt: '2025-05-03T10:07:00.000Z' };
const valid = {
  ...v2,
  version: 3,
  quizzes: { [QUIZ]: { questions: 4, answers: { '1': answer, '4': { ...answer, answer: '5%' } } } },
};

describe('stored progress', () => {
  it('is version 3 (quiz answers)', () => {
    expect(PROGRESS_SCHEMA_VERSION).toBe(3);
    expect(emptyProgress().version).toBe(3);
    expect(emptyProgress().exercises).toEqual({});
    expect(emptyProgress().quizzes).toEqual({});
  });

  it('migrates a version 1 value: every lesson kept, no exercise or quiz answered yet', () => {
    expect(readStoredProgress(JSON.stringify(v1))).toEqual({
      ok: true,
      progress: { ...v1, version: 3, exercises: {}, quizzes: {} },
    });
  });

  it('migrates a version 2 value: lessons and exercises kept, no quiz answer yet', () => {
    const result = readStoredProgress(JSON.stringify(v2));
    expect(result).toEqual({ ok: true, progress: { ...v2, version: 3, quizzes: {} } });
    if (result.ok) expect(storedProgress.parse(result.progress)).toEqual(result.progress);
  });

  it('migrates a version 2 value that already had a stray quizzes field to an empty one', () => {
    const result = readStoredProgress(JSON.stringify({ ...v2, quizzes: 'junk' }));
    expect(result).toEqual({ ok: true, progress: { ...v2, version: 3, quizzes: {} } });
  });

  it.each([
    ['a question number 0', { '0': answer }],
    ['a question number that is not a number', { first: answer }],
    ['an answer that is not text', { '1': { ...answer, answer: 1 } }],
    ['an answer too long', { '1': { ...answer, answer: 'x'.repeat(101) } }],
    ['right that is not true or false', { '1': { ...answer, right: 'yes' } }],
    ['a bad answer date', { '1': { ...answer, answeredAt: 'today' } }],
  ])('rejects quiz answers with %s', (_, answers) => {
    const value = { ...valid, quizzes: { [QUIZ]: { questions: 4, answers } } };
    expect(parseProgressValue(value).ok).toBe(false);
    expect(storedProgress.safeParse(value).success).toBe(false);
  });

  it.each([0, 51, 2.5, '4'])('rejects a quiz of %j questions', (questions) => {
    const value = { ...valid, quizzes: { [QUIZ]: { questions, answers: {} } } };
    expect(parseProgressValue(value).ok).toBe(false);
  });

  it('rejects exercise code that is not text or too long, and a bad solved date', () => {
    const entry = valid.exercises['race-conditions/lock-the-counter'];
    const withEntry = (e: unknown) => ({ ...valid, exercises: { 'a/b': e } });
    expect(parseProgressValue(withEntry({ ...entry, code: null })).ok).toBe(true);
    expect(parseProgressValue(withEntry({ ...entry, code: 5 })).ok).toBe(false);
    expect(parseProgressValue(withEntry({ ...entry, code: 'x'.repeat(100_001) })).ok).toBe(false);
    expect(parseProgressValue(withEntry({ ...entry, solvedAt: 'today' })).ok).toBe(false);
  });

  it('moves an exercise that moved to another lesson to its new id, code and solved mark kept', () => {
    const work = valid.exercises['race-conditions/lock-the-counter'];
    const newer = { ...work, code: 'mine, newer\n' };
    const result = parseProgressValue({
      ...valid,
      exercises: {
        'inside-the-gil/deadlock': work,
        'inside-the-gil/thread-local': work,
        'threading-basics/thread-local': newer,
      },
    });
    expect(result.ok && result.progress.exercises).toEqual({
      'threading-basics/deadlock': work,
      // Work already under the new id is newer than the old page's: it stays.
      'threading-basics/thread-local': newer,
    });
    for (const [from, to] of Object.entries(MOVED_EXERCISES)) {
      expect(existsSync(exerciseFile(from)), from).toBe(false);
      expect(existsSync(exerciseFile(to)), to).toBe(true);
    }
  });

  it('round-trips through its text form', () => {
    const text = serializeProgress(storedProgress.parse(valid));
    expect(readStoredProgress(text)).toEqual({ ok: true, progress: valid });
  });

  it('ignores unknown extra fields a hand edit may add', () => {
    const result = parseProgressValue({ ...valid, note: 'mine' });
    expect(result).toEqual({ ok: true, progress: valid });
  });

  it.each([
    ['not JSON', '{', 'not-json'],
    ['null', 'null', 'invalid'],
    ['a string', '"hello"', 'invalid'],
    ['no version', '{"completed":{}}', 'invalid'],
    ['a fractional version', '{"version":1.5}', 'invalid'],
    ['a newer version', '{"version":4,"completed":{},"lastVisited":null}', 'newer-version'],
    ['an older version with no migration', '{"version":0}', 'older-version'],
    [
      'a bad date',
      '{"version":1,"completed":{"a":{"completedAt":"yesterday"}},"lastVisited":null}',
      'invalid',
    ],
    ['completed as a list', '{"version":1,"completed":[],"lastVisited":null}', 'invalid'],
    ['a missing field', '{"version":1,"completed":{}}', 'invalid'],
  ])('rejects %s with a named problem', (_, text, problem) => {
    const result = readStoredProgress(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toBe(problem);
  });

  it('says where a wrong value is', () => {
    const result = parseProgressValue({ ...valid, lastVisited: 5 });
    expect(result).toMatchObject({ ok: false, detail: 'wrong value at lastVisited' });
  });

  it('migrates an older version step by step, then checks the result like any other', () => {
    // A made-up version 0 that kept completed lessons as a list of ids, then the real 1 → 2.
    const migrations = {
      0: (old: Record<string, unknown>) => ({
        version: 1,
        completed: Object.fromEntries(
          (old['done'] as string[]).map((id) => [id, { completedAt: old['savedAt'] }]),
        ),
        lastVisited: null,
      }),
      1: (old: Record<string, unknown>) => ({ ...old, version: 2, exercises: {} }),
      2: (old: Record<string, unknown>) => ({ ...old, version: 3, quizzes: {} }),
    };
    const v0 = JSON.stringify({
      version: 0,
      done: ['lessons/what-is-the-gil'],
      savedAt: '2025-05-03T10:00:00.000Z',
    });
    expect(readStoredProgress(v0, migrations)).toEqual({
      ok: true,
      progress: { ...valid, lastVisited: null, exercises: {}, quizzes: {} },
    });
    // A migration that produces something invalid is reported, not trusted.
    const broken = { ...migrations, 0: () => ({ version: 1, completed: 'all' }) };
    expect(readStoredProgress(v0, broken)).toMatchObject({ ok: false, problem: 'invalid' });
  });
});
