/**
 * The program a check runs: the reader's code as it is, then (under `if __name__ == "__main__":`)
 * each check's Python as a function, then the harness (./harness.py) called with them.
 */
import type { ExerciseEntry } from '../schemas/exercise.ts';
import HARNESS from './harness.py?raw';

/** Marks the report line; the token after it is random per check run. */
export const REPORT_MARK = '\u0000GILLAB-CHECK-REPORT:';

/** A fresh, unguessable token for one check run: the report line starts with it. */
export function newReportToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${REPORT_MARK}${hex}:`;
}

export interface ComposeOptions {
  /** The report token (newReportToken()). */
  token: string;
  /** Leave out speed-ups (timed on real CPython by the tests, where only the asserts count). */
  withSpeedups?: boolean;
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : by + line))
    .join('\n');

/** The program to run for a check of `code` against `exercise`. */
export function composeCheckProgram(
  exercise: ExerciseEntry,
  code: string,
  { token, withSpeedups = true }: ComposeOptions,
): { source: string; readerLines: number } {
  // CPython counts a final line without a newline as a line too.
  const reader = code.endsWith('\n') ? code : `${code}\n`;
  const readerLines = reader.split('\n').length - 1;
  const parts: string[] = ['', '# GIL Lab: the hidden check (not part of your code).'];
  parts.push('if __name__ == "__main__":');
  const specs: string[] = [];
  exercise.checks.forEach((check, i) => {
    const name = `__gil_lab_check_${i}`;
    const body = check.python.trim();
    if (body !== '') {
      parts.push(`    def ${name}(trial):`, indent(body, '        '));
    }
    const speedup =
      check.speedup && withSpeedups
        ? `(lambda: (${check.speedup.baseline}), lambda: (${check.speedup.candidate}), ${check.speedup.pairs})`
        : 'None';
    specs.push(
      `{"trials": ${check.trials}, "fn": ${body === '' ? 'None' : name}, "speedup": ${speedup}}`,
    );
  });
  parts.push(indent(HARNESS, '    '));
  parts.push(
    `    __gil_lab_run(${JSON.stringify(token)}, [${specs.join(', ')}], ${readerLines}, ${JSON.stringify(exercise.filename)})`,
    '',
  );
  return { source: reader + parts.join('\n'), readerLines };
}
