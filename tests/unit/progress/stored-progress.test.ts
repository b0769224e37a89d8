import { describe, expect, it } from 'vitest';
import {
  emptyProgress,
  parseProgressValue,
  readStoredProgress,
  serializeProgress,
} from '../../../src/components/progress/stored-progress.ts';
import { PROGRESS_SCHEMA_VERSION, storedProgress } from '../../../src/schemas/progress.ts';

const v1 = {
  version: 1,
  completed: { 'lessons/what-is-the-gil': { completedAt: '2025-05-03T10:00:00.000Z' } },
  lastVisited: { lessonId: 'lessons/what-is-the-gil', at: '2025-05-03T09:40:00.000Z' },
};
const valid = {
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

describe('stored progress', () => {
  it('is version 2 (exercises)', () => {
    expect(PROGRESS_SCHEMA_VERSION).toBe(2);
    expect(emptyProgress().version).toBe(2);
    expect(emptyProgress().exercises).toEqual({});
  });

  it('migrates a version 1 value: every lesson kept, no exercise worked on yet', () => {
    expect(readStoredProgress(JSON.stringify(v1))).toEqual({
      ok: true,
      progress: { ...v1, version: 2, exercises: {} },
    });
  });

  it('rejects exercise code that is not text or too long, and a bad solved date', () => {
    const entry = valid.exercises['race-conditions/lock-the-counter'];
    const withEntry = (e: unknown) => ({ ...valid, exercises: { 'a/b': e } });
    expect(parseProgressValue(withEntry({ ...entry, code: null })).ok).toBe(true);
    expect(parseProgressValue(withEntry({ ...entry, code: 5 })).ok).toBe(false);
    expect(parseProgressValue(withEntry({ ...entry, code: 'x'.repeat(100_001) })).ok).toBe(false);
    expect(parseProgressValue(withEntry({ ...entry, solvedAt: 'today' })).ok).toBe(false);
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
    ['a newer version', '{"version":3,"completed":{},"lastVisited":null}', 'newer-version'],
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
    };
    const v0 = JSON.stringify({
      version: 0,
      done: ['lessons/what-is-the-gil'],
      savedAt: '2025-05-03T10:00:00.000Z',
    });
    expect(readStoredProgress(v0, migrations)).toEqual({
      ok: true,
      progress: { ...valid, lastVisited: null, exercises: {} },
    });
    // A migration that produces something invalid is reported, not trusted.
    const broken = { ...migrations, 0: () => ({ version: 1, completed: 'all' }) };
    expect(readStoredProgress(v0, broken)).toMatchObject({ ok: false, problem: 'invalid' });
  });
});
