/**
 * In Run Python: a check whose code never ends is stopped at the exercise's time limit, or by
 * Stop, and the reader sees the traceback CPython would print for their program (their frames
 * only: not the hidden harness's, nor the outer program's, whose file has the reader's file name).
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/exercises/index.ts';
import { pythonSuite } from '../runtime/python/suite.ts';
import { makeExercise } from './make-exercise.ts';

const { runner } = pythonSuite({ prewarm: 1, gilEngine: 'auto' });

const exercise = makeExercise([{ name: 'spin() returns', python: 'spin()' }]);
// Line 3 is the loop the interrupt lands in: in the reader's code (as the program runs), or in
// their function (as a check calls it).
const endless = (where: 'program' | 'check') =>
  where === 'program'
    ? 'def spin():\n    while True:\n        pass\nspin()\n'
    : 'def spin():\n    while True:\n        pass\n';

async function check(code: string, stopAfterMs: number | null) {
  let stderr = '';
  const controller = new AbortController();
  const { verdict } = await runCheck(runner, exercise, code, {
    signal: controller.signal,
    // A time limit shorter than the test's own; Stop (if asked) comes before it.
    timeLimitS: 4,
    onOutput: (o) => {
      if (o.stream === 'stderr') stderr += o.text;
    },
    onProgress: (p) => {
      if (p.phase === 'running' && stopAfterMs !== null)
        setTimeout(() => controller.abort(), stopAfterMs);
    },
  });
  return { verdict, stderr };
}

describe('an endless check in Run Python', () => {
  it.each([
    ['the program', 'program'],
    ['a check', 'check'],
  ] as const)(
    'in %s: ends at the time limit, with the reader’s traceback only',
    async (_, where) => {
      const { verdict, stderr } = await check(endless(where), null);
      expect(verdict.status).toBe('timeout');
      expect(stderr).toContain('KeyboardInterrupt');
      expect(stderr).toMatch(/File "exercise\.py", line 3, in spin/);
      expect(stderr).not.toContain('<gil-lab-check>');
      expect(stderr).not.toContain('in <module>\n    """');
      expect(stderr.match(/File "/g)?.length, stderr).toBe(where === 'program' ? 2 : 1);
    },
    60_000,
  );

  it('ends at Stop, with the reader’s traceback only', async () => {
    const { verdict, stderr } = await check(endless('program'), 1000);
    expect(verdict.status).toBe('stopped');
    expect(stderr).toMatch(/File "exercise\.py", line 4, in <module>\n {4}spin\(\)/);
    expect(stderr).not.toContain('<gil-lab-check>');
  }, 60_000);
});
