/** Runs a check on the local python3 (real CPython): the asserts only, no runtime measurements. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCheckProgram, judge, ReportCatcher } from '../../../src/exercises/index.ts';
import type { ExerciseEntry } from '../../../src/schemas/exercise.ts';

const dir = mkdtempSync(join(tmpdir(), 'gil-lab-exercise-'));

export function checkOnCPython(exercise: ExerciseEntry, code: string) {
  const { source } = composeCheckProgram(exercise, code, { withSpeedups: false });
  const file = join(dir, exercise.filename);
  writeFileSync(file, source);
  const run = spawnSync('python3', [file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: exercise.timeLimitS * 1000,
  });
  const catcher = new ReportCatcher();
  const shown = catcher.feed(run.stdout ?? '') + catcher.flush();
  const error =
    run.status !== 0 && catcher.report === null
      ? { type: 'Error', message: `exit ${run.status}`, traceback: run.stderr }
      : null;
  const verdict = judge(exercise, catcher.report, {
    error,
    stopped: false,
    timedOut: run.error !== undefined,
    snapshot: null,
    clockOffsetMs: 0,
  });
  return { verdict, stdout: shown, stderr: run.stderr };
}
