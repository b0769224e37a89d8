/**
 * The program a check runs. Its `__main__` part hands the reader's code, unchanged, to the hidden
 * harness (./harness.py), which takes what it reports with first, then runs the reader's code as
 * the module (under the exercise's file name, with the reader's own line numbers), then the
 * checks. Imported by another interpreter (a process's, or a thread's where each thread is one),
 * the module runs the reader's code alone, statement by statement, as CPython's spawn would.
 */
import type { ExerciseEntry } from '../schemas/exercise.ts';
import HARNESS from './harness.py?raw';

export interface ComposeOptions {
  /** Leave out speed-ups (timed on real CPython by the tests, where only the asserts count). */
  withSpeedups?: boolean;
}

/**
 * A Python string literal for `text`. JSON's string syntax is a subset of Python's (\", \\, \n,
 * \uXXXX, lone surrogates included), so JSON.stringify gives one.
 */
const literal = (text: string): string => JSON.stringify(text);

/** The program to run for a check of `code` against `exercise`. */
export function composeCheckProgram(
  exercise: ExerciseEntry,
  code: string,
  { withSpeedups = true }: ComposeOptions = {},
): { source: string } {
  const specs = exercise.checks.map((check) => {
    const body = check.python.trim() === '' ? 'None' : literal(check.python);
    const s = check.speedup;
    const speedup =
      s && withSpeedups
        ? `(${literal(s.baseline)}, ${literal(s.candidate)}, ${s.reference ? literal(s.reference) : 'None'}, ${s.pairs})`
        : 'None';
    return `{"trials": ${check.trials}, "body": ${body}, "speedup": ${speedup}}`;
  });
  const file = literal(exercise.filename);
  const source = [
    '# GIL Lab: the hidden check. Your code is the string below; it runs as this module, under its',
    '# own file name and line numbers, after the check has taken what it reports with.',
    `__gil_lab_reader = ${literal(code)}`,
    'if __name__ == "__main__":',
    // The harness's namespace is bound to no name of the module: the reader's code cannot reach
    // its functions through globals(). Its builtins are a copy, taken before the reader's code.
    `    exec(compile(${literal(HARNESS)}, "<gil-lab-check>", "exec"), {`,
    '        "__builtins__": dict(vars(__import__("builtins"))),',
    '        "__name__": "gil_lab_check",',
    `        "_ARGS": (globals(), __gil_lab_reader, ${file}, [${specs.join(', ')}]),`,
    '    })',
    // A `try` statement, so a thread's interpreter (which runs only the module's definitions,
    // imports, assignments and `try`s) runs it too.
    'try:',
    '    if __name__ != "__main__":',
    `        __import__("linecache").cache[${file}] = (len(__gil_lab_reader), None, __gil_lab_reader.splitlines(True), ${file})`,
    `        for __gil_lab_node in __import__("ast").parse(__gil_lab_reader, ${file}).body:`,
    '            try:',
    `                exec(compile(__import__("ast").Module([__gil_lab_node], []), ${file}, "exec"), globals())`,
    '            except Exception:',
    '                pass',
    'except Exception:',
    '    pass',
    '',
  ].join('\n');
  return { source };
}
