/**
 * The hidden harness on real CPython (python3): the reader's code keeps its own line numbers in
 * tracebacks, another process runs the reader's definitions, and no forgery passes a check.
 */
import { describe, expect, it } from 'vitest';
import { makeExercise } from './make-exercise.ts';
import { KEPT_POOL_CHECK, KEPT_POOL_CODE } from './kept-pool.ts';
import { checkOnCPython } from './cpython.ts';
import { fakes, forgeries } from './forgeries.ts';
import { loadExercises } from './exercise-files.ts';

const make = makeExercise;

describe('the check harness on python3', () => {
  it("shows the reader's own line numbers and lines when their code raises", () => {
    const ex = make([{ name: 'f() is 1', python: 'assert f() == 1' }]);
    const { verdict, stderr } = checkOnCPython(ex, 'x = 1\n\nprint(undefined_name)\n');
    expect(verdict.status).toBe('error');
    expect(verdict.summary).toContain("NameError: name 'undefined_name' is not defined");
    expect(verdict.traceback).toContain('File "exercise.py", line 3, in <module>');
    expect(verdict.traceback).toContain('print(undefined_name)');
    expect(verdict.traceback).not.toContain('gil-lab-check');
    expect(stderr).toContain('line 3');
    // In a check: the reader's frame, not the check's.
    const inCheck = checkOnCPython(ex, 'def f():\n    return 1 / 0\n');
    expect(inCheck.verdict.status).toBe('failed');
    expect(inCheck.verdict.traceback).toContain('File "exercise.py", line 2, in f');
    expect(inCheck.verdict.traceback).toContain('return 1 / 0');
    expect(inCheck.verdict.traceback).not.toContain('gil-lab-check');
  });

  it('a syntax error says where, in the reader’s lines', () => {
    const ex = make([{ name: 'f() is 1', python: 'assert f() == 1' }]);
    const { verdict } = checkOnCPython(ex, 'def f():\n    return (1\n');
    expect(verdict.status).toBe('error');
    expect(verdict.summary).toMatch(/^Your code raised SyntaxError/);
    expect(verdict.traceback).toContain('File "exercise.py", line 2');
  });

  it('a ProcessPoolExecutor runs the reader’s functions in another process', () => {
    const ex = make([
      {
        name: 'square in a process',
        python: [
          'import os',
          'from concurrent.futures import ProcessPoolExecutor',
          'with ProcessPoolExecutor(max_workers=1) as pool:',
          '    got = pool.submit(where_and_square, 7).result()',
          'assert got[1] == 49, got',
          'assert got[0] != os.getpid(), "it ran in this process"',
        ].join('\n'),
      },
    ]);
    const code = 'import os\n\ndef where_and_square(n):\n    return os.getpid(), n * n\n';
    const { verdict } = checkOnCPython(ex, code);
    expect(verdict.status, verdict.summary).toBe('passed');
  });
});

describe('process pools during the checks, on python3', () => {
  it("keep their processes for the checks' later pools; each executor still shuts down", () => {
    const { verdict, stderr } = checkOnCPython(make([KEPT_POOL_CHECK]), KEPT_POOL_CODE);
    expect(verdict.status, `${verdict.summary}\n${verdict.traceback ?? ''}\n${stderr}`).toBe(
      'passed',
    );
  });
});

describe.each(forgeries().map((f) => [f.name, f] as const))('forgery: %s', (_, forgery) => {
  it('fails on python3', () => {
    const ex = loadExercises().find((e) => e.id === forgery.exerciseId)!;
    const { verdict, stdout } = checkOnCPython(ex, forgery.code);
    expect(['failed', 'error', 'timeout'], `${verdict.summary}\n${stdout}`).toContain(
      verdict.status,
    );
  });
});

describe.each(fakes().map((f) => [`${f.exerciseId}: ${f.name}`, f] as const))(
  'right answer without the behaviour: %s',
  (_, fake) => {
    it('fails on python3', () => {
      const ex = loadExercises().find((e) => e.id === fake.exerciseId)!;
      const { verdict } = checkOnCPython(ex, fake.code);
      expect(['failed', 'error', 'timeout'], verdict.summary).toContain(verdict.status);
    });
  },
);
