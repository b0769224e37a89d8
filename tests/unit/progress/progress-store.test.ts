import { describe, expect, it } from 'vitest';
import { ProgressStore } from '../../../src/components/progress/progress-store.ts';
import { PROGRESS_STORAGE_KEY } from '../../../src/schemas/progress.ts';
import { MemoryStorage } from './memory-storage.ts';

const LESSON = 'lessons/what-is-the-gil';
const OTHER = 'lessons/threads';
const at = (iso: string) => () => new Date(iso);

function stored(storage: MemoryStorage): unknown {
  return JSON.parse(storage.getItem(PROGRESS_STORAGE_KEY) ?? 'null');
}

describe('ProgressStore', () => {
  it('starts empty and saved when nothing is stored', () => {
    const store = new ProgressStore(new MemoryStorage());
    expect(store.progress).toEqual({
      version: 3,
      completed: {},
      lastVisited: null,
      exercises: {},
      quizzes: {},
    });
    expect(store.persistence).toEqual({ kind: 'saved' });
  });

  it('marks a lesson complete with its time, and a new store reads it back', () => {
    const storage = new MemoryStorage();
    new ProgressStore(storage, at('2025-05-03T10:00:00.000Z')).setComplete(LESSON, true);
    expect(stored(storage)).toEqual({
      version: 3,
      completed: { [LESSON]: { completedAt: '2025-05-03T10:00:00.000Z' } },
      lastVisited: null,
      exercises: {},
      quizzes: {},
    });
    const reloaded = new ProgressStore(storage);
    expect(reloaded.isComplete(LESSON)).toBe(true);
    expect(reloaded.completedAt(LESSON)).toEqual(new Date('2025-05-03T10:00:00.000Z'));
  });

  it('keeps the first completion time when marked twice, and undoes', () => {
    let now = '2025-05-03T10:00:00.000Z';
    const store = new ProgressStore(new MemoryStorage(), () => new Date(now));
    store.setComplete(LESSON, true);
    now = '2025-06-01T10:00:00.000Z';
    store.setComplete(LESSON, true);
    expect(store.completedAt(LESSON)?.toISOString()).toBe('2025-05-03T10:00:00.000Z');
    store.setComplete(LESSON, false);
    expect(store.isComplete(LESSON)).toBe(false);
    expect(store.completedAt(LESSON)).toBeNull();
  });

  it('records the last visited lesson', () => {
    const store = new ProgressStore(new MemoryStorage(), at('2025-05-03T10:00:00.000Z'));
    store.recordVisit(LESSON);
    expect(store.progress.lastVisited).toEqual({
      lessonId: LESSON,
      at: '2025-05-03T10:00:00.000Z',
    });
  });

  it('notifies subscribers of every change until they unsubscribe', () => {
    const store = new ProgressStore(new MemoryStorage());
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.setComplete(LESSON, true);
    store.recordVisit(LESSON);
    unsubscribe();
    store.reset();
    expect(calls).toBe(2);
  });

  it('does not lose a change another tab made since this one loaded', () => {
    const storage = new MemoryStorage();
    const tabA = new ProgressStore(storage);
    const tabB = new ProgressStore(storage);
    tabA.setComplete(LESSON, true);
    tabB.setComplete(OTHER, true);
    expect(new ProgressStore(storage).progress.completed).toHaveProperty([LESSON]);
    expect(new ProgressStore(storage).progress.completed).toHaveProperty([OTHER]);
  });

  it('picks up another tab’s change on refresh and tells subscribers', () => {
    const storage = new MemoryStorage();
    const tabA = new ProgressStore(storage);
    const tabB = new ProgressStore(storage);
    let seen = false;
    tabB.subscribe(() => (seen = tabB.isComplete(LESSON)));
    tabA.setComplete(LESSON, true);
    tabB.refresh();
    expect(seen).toBe(true);
  });

  it('resets everything and removes the key', () => {
    const storage = new MemoryStorage();
    const store = new ProgressStore(storage);
    store.setComplete(LESSON, true);
    store.reset();
    expect(store.isComplete(LESSON)).toBe(false);
    expect(storage.values.has(PROGRESS_STORAGE_KEY)).toBe(false);
  });
});

describe('ProgressStore with bad or missing storage', () => {
  it.each([
    ['invalid JSON', '{"version":1,', 'not-json'],
    ['wrong types', '{"version":1,"completed":"all","lastVisited":null}', 'invalid'],
    ['a future version', '{"version":99,"whatever":true}', 'newer-version'],
    ['an array', '[1,2,3]', 'invalid'],
  ])('treats %s as unreadable, starts empty and leaves it untouched', (_, text, problem) => {
    const storage = new MemoryStorage();
    storage.setItem(PROGRESS_STORAGE_KEY, text);
    const store = new ProgressStore(storage);
    expect(store.persistence).toEqual({ kind: 'unreadable', problem });
    expect(store.progress.completed).toEqual({});
    store.setComplete(LESSON, true);
    store.recordVisit(LESSON);
    expect(store.isComplete(LESSON)).toBe(true);
    expect(storage.getItem(PROGRESS_STORAGE_KEY)).toBe(text);
  });

  it('saves again after an unreadable value is reset', () => {
    const storage = new MemoryStorage();
    storage.setItem(PROGRESS_STORAGE_KEY, 'garbage');
    const store = new ProgressStore(storage);
    store.reset();
    expect(store.persistence).toEqual({ kind: 'saved' });
    store.setComplete(LESSON, true);
    expect(new ProgressStore(storage).isComplete(LESSON)).toBe(true);
  });

  it('an import overwrites an unreadable value', () => {
    const storage = new MemoryStorage();
    storage.setItem(PROGRESS_STORAGE_KEY, 'garbage');
    const store = new ProgressStore(storage);
    store.replace({
      version: 3,
      completed: { [LESSON]: { completedAt: '2025-05-03T10:00:00.000Z' } },
      lastVisited: null,
      exercises: {},
      quizzes: {},
    });
    expect(store.persistence).toEqual({ kind: 'saved' });
    expect(new ProgressStore(storage).isComplete(LESSON)).toBe(true);
  });

  it('works in memory where storage is missing altogether', () => {
    const store = new ProgressStore(null);
    expect(store.persistence).toEqual({ kind: 'unavailable' });
    store.setComplete(LESSON, true);
    expect(store.isComplete(LESSON)).toBe(true);
  });

  it('works in memory where reading storage throws', () => {
    const storage = new MemoryStorage();
    storage.failReads = true;
    const store = new ProgressStore(storage);
    expect(store.persistence).toEqual({ kind: 'unavailable' });
    store.setComplete(LESSON, true);
    expect(store.isComplete(LESSON)).toBe(true);
  });

  it('keeps progress in memory when a write is refused (quota), without throwing', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const store = new ProgressStore(storage);
    expect(() => store.setComplete(LESSON, true)).not.toThrow();
    expect(store.persistence).toEqual({ kind: 'unavailable' });
    expect(store.isComplete(LESSON)).toBe(true);
    store.refresh();
    expect(store.isComplete(LESSON)).toBe(true);
  });
});

describe('ProgressStore exercises', () => {
  it('keeps the reader’s code and the first time it was solved, across reloads', () => {
    const storage = new MemoryStorage();
    let now = '2025-05-03T10:00:00.000Z';
    const store = new ProgressStore(storage, () => new Date(now));
    expect(store.saveExerciseCode('a/b', 'x = 1')).toBe(true);
    expect(store.isSolved('a/b')).toBe(false);
    now = '2025-05-03T10:01:00.000Z';
    store.markSolved('a/b', 'x = 2');
    now = '2025-05-03T10:02:00.000Z';
    store.markSolved('a/b', 'x = 3');
    const reloaded = new ProgressStore(storage);
    expect(reloaded.exercise('a/b')).toEqual({
      code: 'x = 3',
      savedAt: '2025-05-03T10:02:00.000Z',
      solvedAt: '2025-05-03T10:01:00.000Z',
      checkedAt: '2025-05-03T10:02:00.000Z',
    });
    // Reset goes back to the starter but an exercise once solved stays solved.
    reloaded.saveExerciseCode('a/b', null);
    expect(new ProgressStore(storage).exercise('a/b')?.code).toBeNull();
    expect(new ProgressStore(storage).isSolved('a/b')).toBe(true);
  });

  it('only a Check unlocks the solution, not typing, and that survives a reload', () => {
    const storage = new MemoryStorage();
    let now = '2025-05-03T10:00:00.000Z';
    const store = new ProgressStore(storage, () => new Date(now));
    store.saveExerciseCode('a/b', 'x = 1');
    expect(new ProgressStore(storage).wasChecked('a/b')).toBe(false);
    now = '2025-05-03T10:01:00.000Z';
    store.recordCheck('a/b');
    now = '2025-05-03T10:02:00.000Z';
    store.saveExerciseCode('a/b', 'x = 2'); // typing after it keeps the attempt
    const reloaded = new ProgressStore(storage);
    expect(reloaded.wasChecked('a/b')).toBe(true);
    expect(reloaded.exercise('a/b')).toEqual({
      code: 'x = 2',
      savedAt: '2025-05-03T10:02:00.000Z',
      solvedAt: null,
      checkedAt: '2025-05-03T10:01:00.000Z',
    });
    // A Check before any typing (the starter) is an attempt too.
    store.recordCheck('c/d');
    expect(new ProgressStore(storage).exercise('c/d')?.code).toBeNull();
    expect(new ProgressStore(storage).wasChecked('c/d')).toBe(true);
  });

  it('does not store code too long for storage', () => {
    const store = new ProgressStore(new MemoryStorage());
    expect(store.saveExerciseCode('a/b', 'x'.repeat(100_001))).toBe(false);
    expect(store.exercise('a/b')).toBeNull();
  });
});

describe('ProgressStore quizzes', () => {
  const QUIZ = `${LESSON}#check-yourself`;

  it('keeps the last checked answer to each question, across reloads', () => {
    const storage = new MemoryStorage();
    let now = '2025-05-03T10:00:00.000Z';
    const store = new ProgressStore(storage, () => new Date(now));
    expect(store.quiz(QUIZ)).toBeNull();
    expect(store.recordQuizAnswer(QUIZ, 3, 1, '2', false)).toBe(true);
    now = '2025-05-03T10:01:00.000Z';
    expect(store.recordQuizAnswer(QUIZ, 3, 1, '0', true)).toBe(true);
    expect(store.recordQuizAnswer(QUIZ, 3, 3, '5%', true)).toBe(true);
    expect(new ProgressStore(storage).quiz(QUIZ)).toEqual({
      questions: 3,
      answers: {
        '1': { answer: '0', right: true, answeredAt: '2025-05-03T10:01:00.000Z' },
        '3': { answer: '5%', right: true, answeredAt: '2025-05-03T10:01:00.000Z' },
      },
    });
  });

  it('drops answers to questions a shortened quiz no longer has', () => {
    const store = new ProgressStore(new MemoryStorage(), at('2025-05-03T10:00:00.000Z'));
    store.recordQuizAnswer(QUIZ, 4, 4, '1', true);
    store.recordQuizAnswer(QUIZ, 3, 1, '1', false);
    expect(Object.keys(store.quiz(QUIZ)?.answers ?? {})).toEqual(['1']);
  });

  it('keeps nothing out of bounds, and says so', () => {
    const store = new ProgressStore(new MemoryStorage());
    expect(store.recordQuizAnswer(QUIZ, 3, 4, '1', true)).toBe(false);
    expect(store.recordQuizAnswer(QUIZ, 3, 0, '1', true)).toBe(false);
    expect(store.recordQuizAnswer(QUIZ, 51, 1, '1', true)).toBe(false);
    expect(store.recordQuizAnswer(QUIZ, 3, 1, 'x'.repeat(101), true)).toBe(false);
    expect(store.recordQuizAnswer('', 3, 1, '1', true)).toBe(false);
    expect(store.quiz(QUIZ)).toBeNull();
  });

  it('forgets one kept answer, and the quiz once it has none left', () => {
    const store = new ProgressStore(new MemoryStorage(), at('2025-05-03T10:00:00.000Z'));
    store.recordQuizAnswer(QUIZ, 3, 1, '1', true);
    store.recordQuizAnswer(QUIZ, 3, 2, '0', false);
    store.forgetQuizAnswer(QUIZ, 2);
    expect(Object.keys(store.quiz(QUIZ)?.answers ?? {})).toEqual(['1']);
    store.forgetQuizAnswer(QUIZ, 3); // not kept: nothing changes
    expect(Object.keys(store.quiz(QUIZ)?.answers ?? {})).toEqual(['1']);
    store.forgetQuizAnswer(QUIZ, 1);
    expect(store.quiz(QUIZ)).toBeNull();
  });

  it('forgets quiz answers on reset', () => {
    const store = new ProgressStore(new MemoryStorage());
    store.recordQuizAnswer(QUIZ, 3, 1, '1', true);
    store.reset();
    expect(store.quiz(QUIZ)).toBeNull();
  });
});
