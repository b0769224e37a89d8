/**
 * Shared set-up of the Run Python test files: one runner per file, booted before its tests and
 * disposed after them (checking no worker is left), and a run() that collects output by stream.
 */
import { afterAll, beforeAll } from 'vitest';
import type {
  PythonOutput,
  PythonRunOptions,
  PythonRunnerOptions,
} from '../../../../src/runtime/python/index.ts';
import { nodePythonRunner } from '../../../../src/runtime/node/index.ts';

export interface SuiteOptions extends Omit<PythonRunnerOptions, 'workerFactory' | 'indexURL'> {
  /** Interpreters to boot before the file's tests (0: none, to test cold starts). */
  prewarm?: number;
}

/** A runner for this test file, and run(), which waits for the result and collects output. */
export function pythonSuite({ prewarm = 3, ...options }: SuiteOptions = {}) {
  // The suites written for one interpreter per thread keep testing that engine (still the one of
  // free-threaded mode and of browsers without JSPI); green-threads tests pass gilEngine 'auto'.
  const { runner, tracker } = nodePythonRunner({ gilEngine: 'interpreter-per-thread', ...options });
  if (prewarm > 0) beforeAll(() => runner.prewarm(prewarm), 180_000);
  afterAll(async () => {
    await runner.dispose();
    await tracker.allExited();
  });

  async function run(source: string, runOptions: Omit<PythonRunOptions, 'onOutput'> = {}) {
    const out: PythonOutput[] = [];
    const result = await runner.run(source, { ...runOptions, onOutput: (o) => out.push(o) }).result;
    const of = (stream: PythonOutput['stream']) =>
      out
        .filter((o) => o.stream === stream)
        .map((o) => o.text)
        .join('');
    return {
      result,
      out,
      stdout: of('stdout'),
      stderr: of('stderr'),
      text: out.map((o) => o.text).join(''),
    };
  }

  return { runner, tracker, run };
}
