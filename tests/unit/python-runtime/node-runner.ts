/**
 * A Python runner for Node: worker_threads running the same worker API as the browser, Pyodide
 * read from node_modules (offline). Used by the tests and the bench.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createPythonRunner,
  type PythonRunner,
  type PythonRunnerOptions,
} from '../../../src/runtime/python/index.ts';
import { nodeWorkerFactory, type NodeWorkerTracker } from '../runtime/node-factory.ts';

/** node_modules/pyodide as a directory path (Pyodide reads paths with fs in Node). */
export const PYODIDE_DIR = fileURLToPath(
  new URL('../../../node_modules/pyodide/', import.meta.url),
);
const SHIM = new URL('../../../src/runtime/python/gil_lab_shim.py', import.meta.url);

/** A runner over worker_threads, plus the tracker of its workers. */
export function nodePythonRunner(options: PythonRunnerOptions = {}): {
  runner: PythonRunner;
  tracker: NodeWorkerTracker;
} {
  const { factory, tracker } = nodeWorkerFactory(
    new URL('./node-python.worker.ts', import.meta.url),
  );
  const runner = createPythonRunner({
    workerFactory: factory,
    indexURL: PYODIDE_DIR,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    shimSource: readFileSync(SHIM, 'utf8'),
    cpuCount: 2,
    ...options,
  });
  return { runner, tracker };
}
