/**
 * Every Python listing of the course (examples/python/**) run in Run Python's GIL mode (threads
 * as call stacks of one interpreter) prints what its `.expected.json` says CPython 3.14 prints
 * (tests/unit/examples checks the same files against python3). A listing a reader presses Run on
 * must behave as the lesson says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpectation } from '../../examples/expectation.ts';
import { pythonSuite } from './suite.ts';

const root = resolve(import.meta.dirname, '../../../..');
const examplesDir = join(root, 'examples/python');
/** Listings that cannot run in a browser, and why (the page says so beside them). */
export const NOT_IN_THE_BROWSER: Record<string, string> = {
  'inside-the-gil/convoy.py': 'it measures round trips over a socket pair (no sockets here)',
  'threads-vs-processes/cpu_processes.py':
    'it starts multiprocessing.Process workers (no OS processes here)',
  'threads-vs-processes/startup_cost.py':
    'it times multiprocessing.Process start-up (no OS processes here)',
};
/**
 * Listings that run but do not yet show what CPython shows, and why. asyncio here is Pyodide's
 * WebLoop: while the loop's thread blocks in time.sleep, other tasks still get turns.
 */
export const NOT_THE_SAME: Record<string, string> = {
  'asyncio/blocking_call.py':
    "a blocking call inside a coroutine does not stop Pyodide's event loop (its other tasks still run)",
};
const examples = readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.py') && !(f in NOT_IN_THE_BROWSER) && !(f in NOT_THE_SAME))
  .sort();

const { run } = pythonSuite({ prewarm: 1, gilEngine: 'auto' });

describe('the course listings in Run Python (GIL mode)', () => {
  it.each(examples)(
    '%s prints what CPython prints',
    async (path) => {
      const file = join(examplesDir, path);
      const expected = parseExpectation(
        readFileSync(file.replace(/\.py$/, '.expected.json'), 'utf8'),
        path,
      );
      const { result, stdout, stderr } = await run(readFileSync(file, 'utf8'), {
        filename: path.split('/').pop()!,
      });
      if (expected.exitCode === 0) expect(result.error, stderr).toBeNull();
      for (const pattern of expected.stdoutPatterns)
        expect(stdout, stderr).toMatch(new RegExp(pattern, 'm'));
      for (const pattern of expected.stderrPatterns)
        expect(stderr).toMatch(new RegExp(pattern, 'm'));
    },
    180_000,
  );
});
