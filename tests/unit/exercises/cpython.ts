/** Runs a check on the local python3 (real CPython): the asserts only, no runtime measurements. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCheckProgram, judge, ReportCatcher } from '../../../src/exercises/index.ts';
import type { ExerciseEntry } from '../../../src/schemas/exercise.ts';

const base = mkdtempSync(join(tmpdir(), 'gil-lab-exercise-'));
let runs = 0;

/** The check's program in a directory of its own (runs at once must not share a file). */
function programFile(exercise: ExerciseEntry, code: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(base, `run-${++runs}-`));
  const file = join(dir, exercise.filename);
  writeFileSync(file, composeCheckProgram(exercise, code, { withSpeedups: false }).source);
  return { dir, file };
}

function verdictOf(
  exercise: ExerciseEntry,
  stdout: string,
  stderr: string,
  status: number | null,
  timedOut: boolean,
) {
  const catcher = new ReportCatcher();
  const shown = catcher.feed(stdout) + catcher.flush();
  const error =
    status !== 0 && catcher.report === null
      ? { type: 'Error', message: `exit ${status}`, traceback: stderr }
      : null;
  const verdict = judge(exercise, catcher.report, {
    error,
    stopped: false,
    timedOut,
    snapshot: null,
    clockOffsetMs: 0,
  });
  return { verdict, stdout: shown, stderr };
}

export function checkOnCPython(exercise: ExerciseEntry, code: string) {
  const { dir, file } = programFile(exercise, code);
  const run = spawnSync('python3', [file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: exercise.timeLimitS * 1000,
  });
  return verdictOf(
    exercise,
    run.stdout ?? '',
    run.stderr ?? '',
    run.status,
    run.error !== undefined,
  );
}

/** checkOnCPython without blocking, so that checks that mostly sleep can run side by side. */
export function checkOnCPythonAsync(
  exercise: ExerciseEntry,
  code: string,
): Promise<ReturnType<typeof checkOnCPython>> {
  const { dir, file } = programFile(exercise, code);
  return new Promise((resolve) => {
    execFile(
      'python3',
      [file],
      { cwd: dir, encoding: 'utf8', timeout: exercise.timeLimitS * 1000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve(verdictOf(exercise, stdout, stderr, status, error?.killed === true));
      },
    );
  });
}
