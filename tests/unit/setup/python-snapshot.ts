/**
 * Vitest global set-up: the snapshot of a booted interpreter that Run Python's Node tests start
 * from (nodePythonRunner's default, as the browser's workers start from it), made once per test
 * run when missing or older than Pyodide (a few seconds, in a child process). It is the build's own
 * file (public/pyodide/python-snapshot.bin), so a clean clone's `npm test` makes it here and its
 * build then finds it fresh. Without it each interpreter boots the long way (15-29 s under load):
 * if it cannot be made, the tests still run, slower, and snapshot.test.ts says why.
 */
import { ensureSnapshot } from '../../../scripts/python-snapshot.mjs';
import { NODE_SNAPSHOT } from '../../../src/runtime/node/python-runner.ts';

export default function setup(): void {
  try {
    ensureSnapshot(NODE_SNAPSHOT);
  } catch (e) {
    console.warn(`no python-snapshot.bin, Run Python's tests boot the long way: ${String(e)}`);
  }
}
