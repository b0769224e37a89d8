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
import { NOT_IN_THE_BROWSER, NOT_THE_SAME } from '../../../../src/components/python/listings.ts';
import { pythonSuite } from './suite.ts';

const root = resolve(import.meta.dirname, '../../../..');
const examplesDir = join(root, 'examples/python');
const examples = readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.py') && !(f in NOT_IN_THE_BROWSER) && !(f in NOT_THE_SAME))
  .sort();

const { run } = pythonSuite({ prewarm: 1, gilEngine: 'auto' });

/** The listing's expectation (its `.expected.json`, what python3 must print too). */
const expectationOf = (path: string) =>
  parseExpectation(
    readFileSync(join(examplesDir, path).replace(/\.py$/, '.expected.json'), 'utf8'),
    path,
  );

describe('the course listings in Run Python (GIL mode)', () => {
  // A listing's time limit: 180 s, or more for one that takes long in python3 already (the
  // native-call listings hash and compress gigabytes; their C code is JavaScript here).
  for (const path of examples)
    it(
      `${path} prints what CPython prints`,
      async () => {
        const file = join(examplesDir, path);
        const expected = expectationOf(path);
        const { result, stdout, stderr } = await run(readFileSync(file, 'utf8'), {
          filename: path.split('/').pop()!,
        });
        if (expected.exitCode === 0) expect(result.error, stderr).toBeNull();
        for (const pattern of expected.stdoutPatterns)
          expect(stdout, stderr).toMatch(new RegExp(pattern, 'm'));
        for (const pattern of expected.stderrPatterns)
          expect(stderr).toMatch(new RegExp(pattern, 'm'));
      },
      Math.max(180_000, expectationOf(path).timeoutS * 6_000),
    );
});
