/**
 * A Python runner for Node: worker_threads running the same worker API as the browser, Pyodide
 * read from node_modules (offline). Used by the tests and the bench.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createPythonRunner,
  type PythonRunner,
  type PythonRunnerOptions,
} from '../../../src/runtime/python/index.ts';
import { bundleShim } from '../../../src/runtime/python/shim-bundle.ts';
import { nodeWorkerFactory, type NodeWorkerTracker } from '../runtime/node-factory.ts';

/** node_modules/pyodide as a directory path (Pyodide reads paths with fs in Node). */
export const PYODIDE_DIR = fileURLToPath(
  new URL('../../../node_modules/pyodide/', import.meta.url),
);
const PYTHON_DIR = new URL('../../../src/runtime/python/', import.meta.url);
const SHIM_DIR = new URL('shim/', PYTHON_DIR);

/** The shim's text as the browser gets it: the files of shim/ joined by bundleShim(). */
export function readShimSource(): string {
  const files = readdirSync(SHIM_DIR).filter((f) => f.endsWith('.py'));
  return bundleShim(
    Object.fromEntries(files.map((f) => [f, readFileSync(new URL(f, SHIM_DIR), 'utf8')])),
  );
}

/** A runner over worker_threads, plus the tracker of its workers. */
export function nodePythonRunner(options: PythonRunnerOptions = {}): {
  runner: PythonRunner;
  tracker: NodeWorkerTracker;
} {
  const { factory, tracker } = nodeWorkerFactory(
    new URL('./node-python.worker.ts', import.meta.url),
  );
  const green = nodeWorkerFactory(new URL('./node-green.worker.ts', import.meta.url));
  const ticker = nodeWorkerFactory(new URL('./node-green-ticker.worker.ts', import.meta.url));
  const runner = createPythonRunner({
    workerFactory: factory,
    greenWorkerFactory: green.factory,
    greenTickerFactory: ticker.factory,
    greenSource: readFileSync(new URL('green/green_thread.py', PYTHON_DIR), 'utf8'),
    indexURL: PYODIDE_DIR,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    shimSource: readShimSource(),
    cpuCount: 2,
    ...options,
  });
  return { runner, tracker: mergedTracker([tracker, green.tracker, ticker.tracker]) };
}

/** One tracker over several factories' workers. */
function mergedTracker(trackers: NodeWorkerTracker[]): NodeWorkerTracker {
  return {
    get workers() {
      return trackers.flatMap((t) => t.workers);
    },
    live: () => trackers.reduce((a, t) => a + t.live(), 0),
    alive: () => trackers.flatMap((t) => t.alive()),
    allExited: async () => {
      await Promise.all(trackers.map((t) => t.allExited()));
    },
  };
}
