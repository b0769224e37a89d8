import { describe, expect, it } from 'vitest';
import { exercise } from '../../../src/schemas/exercise.ts';
import { rawExercises } from '../exercises/exercise-files.ts';

const valid = {
  title: 'Fix it',
  task: 'Make `f()` return 1.',
  starter: 'def f():\n    return 0\n',
  hints: ['Look at the return.', 'Return 1.'],
  solution: 'def f():\n    return 1\n',
  checks: [{ name: 'f() is 1', python: 'assert f() == 1, "no"' }],
};

describe('exercise schema', () => {
  it('accepts a minimal exercise and fills in the defaults', () => {
    const parsed = exercise.parse(valid);
    expect(parsed.timeLimitS).toBe(30);
    expect(parsed.filename).toBe('exercise.py');
    expect(parsed.requires).toEqual([]);
    expect(parsed.checks[0]).toMatchObject({ trials: 1, fails: 'failed' });
  });

  it('needs at least two hints', () => {
    const result = exercise.safeParse({ ...valid, hints: ['only one'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['hints']);
  });

  it('needs a check with something to check', () => {
    const result = exercise.safeParse({ ...valid, checks: [{ name: 'nothing' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/python, timeline or speedup/);
  });

  it('names an unknown field (a typo is not silently ignored)', () => {
    const result = exercise.safeParse({ ...valid, hint: ['x', 'y'] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/hint/);
  });

  it('rejects a timeline expectation with an unknown state or one lane', () => {
    const check = (timeline: unknown) =>
      exercise.safeParse({ ...valid, checks: [{ name: 't', timeline }] }).success;
    const ok = { states: ['io'], expect: 'overlap', message: 'mostly waited one after another' };
    expect(check(ok)).toBe(true);
    expect(check({ ...ok, states: ['sleeping'] })).toBe(false);
    expect(check({ ...ok, lanes: 1 })).toBe(false);
  });

  it('rejects words a measured share beside them would contradict ("never" beside 11 %)', () => {
    const check = (message: string) =>
      exercise.safeParse({
        ...valid,
        checks: [{ name: 't', timeline: { states: ['io'], expect: 'overlap', message } }],
      });
    for (const words of ['never waited together', 'they hardly overlapped', 'Always one at a time'])
      expect(check(words).error?.issues[0]?.message, words).toMatch(/say "mostly …"/);
    expect(check('the downloads mostly waited one after another').success).toBe(true);
  });

  it('rejects a speed-up target that is no speed-up', () => {
    const speedup = { baseline: 'a()', candidate: 'b()', atLeast: 1, ceiling: 2 };
    expect(exercise.safeParse({ ...valid, checks: [{ name: 's', speedup }] }).success).toBe(false);
  });

  it('accepts only Python file names', () => {
    expect(exercise.safeParse({ ...valid, filename: '../x.py' }).success).toBe(false);
  });
});

describe('the course’s exercise files', () => {
  const files = rawExercises();
  it.each(files)('%s is a valid exercise', (_, raw) => {
    const result = exercise.safeParse(raw);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('every lesson has at least two exercises', () => {
    const perLesson = new Map<string, number>();
    for (const [id] of files) {
      const lesson = id.split('/')[0]!;
      perLesson.set(lesson, (perLesson.get(lesson) ?? 0) + 1);
    }
    expect(perLesson.size).toBe(10);
    for (const [lesson, n] of perLesson) expect(n, lesson).toBeGreaterThanOrEqual(2);
  });
});
