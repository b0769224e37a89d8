import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  exportProgressFile,
  MAX_IMPORT_BYTES,
  parseProgressFile,
} from '../../../src/components/progress/progress-file.ts';
import { progressExportFile, type StoredProgress } from '../../../src/schemas/progress.ts';

const progress: StoredProgress = {
  version: 3,
  completed: { 'lessons/what-is-the-gil': { completedAt: '2025-05-03T10:00:00.000Z' } },
  lastVisited: null,
  exercises: {},
  quizzes: {
    'lessons/what-is-the-gil#check-yourself': {
      questions: 4,
      answers: { '2': { answer: '1', right: true, answeredAt: '2025-05-03T10:02:00.000Z' } },
    },
  },
};
const now = new Date('2025-05-04T08:00:00.000Z');

describe('progress export file', () => {
  it('is a valid export that imports back to the same progress', () => {
    const text = exportProgressFile(progress, now);
    expect(progressExportFile.parse(JSON.parse(text))).toEqual({
      format: 'gil-lab-progress',
      exportedAt: '2025-05-04T08:00:00.000Z',
      progress,
    });
    expect(parseProgressFile(text)).toEqual({ ok: true, progress });
  });

  it('imports an export written before quiz answers were kept (version 2), migrated', () => {
    const { quizzes: _quizzes, ...rest } = progress;
    const old = { ...rest, version: 2 };
    const text = JSON.stringify({
      format: 'gil-lab-progress',
      exportedAt: now.toISOString(),
      progress: old,
    });
    expect(parseProgressFile(text)).toEqual({ ok: true, progress: { ...progress, quizzes: {} } });
  });

  it('is named after the site and the day', () => {
    expect(exportFileName(now)).toBe('gil-lab-progress-2025-05-04.json');
  });

  const file = (value: unknown) => JSON.stringify(value);
  const exported = { format: 'gil-lab-progress', exportedAt: now.toISOString(), progress };

  it.each([
    ['not JSON', 'hello', /not a GIL Lab progress export \(it is not JSON\)/],
    ['JSON of another app', file({ name: 'x', items: [] }), /not a GIL Lab progress export\./],
    ['an array', file([1, 2]), /not a GIL Lab progress export\./],
    ['another format', file({ ...exported, format: 'other' }), /not a GIL Lab progress export\./],
    ['no export date', file({ ...exported, exportedAt: 3 }), /damaged/],
    ['an export date that is not a date', file({ ...exported, exportedAt: 'soon' }), /damaged/],
    ['no progress', file({ ...exported, progress: undefined }), /damaged/],
    ['damaged progress', file({ ...exported, progress: { version: 1 } }), /damaged/],
    [
      'a newer version',
      file({ ...exported, progress: { ...progress, version: 7 } }),
      /newer version of GIL Lab/,
    ],
    ['a huge file', ' '.repeat(MAX_IMPORT_BYTES + 1), /too large/],
  ])('rejects %s, saying why and that nothing changed', (_, text, reason) => {
    const result = parseProgressFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(reason);
      expect(result.message).toMatch(/Your progress was not changed\.$/);
    }
  });
});
