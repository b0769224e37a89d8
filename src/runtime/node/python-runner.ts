/**
 * A Python runner for Node: worker_threads running the same worker API as the browser, Pyodide
 * read from node_modules (offline). Used by the tests and the bench. Like the browser's workers,
 * its interpreters start from the build's python-snapshot.bin when it is there (the unit tests'
 * global set-up makes it: tests/unit/setup/python-snapshot.ts), else they boot the long way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createPythonRunner,
  type PythonRunner,
  type PythonRunnerOptions,
} from '../python/index.ts';
import { bundleShim } from '../python/shim-bundle.ts';
import { nodeWorkerFactory, type NodeWorkerTracker } from './worker-factory.ts';

/** node_modules/pyodide as a directory path (Pyodide reads paths with fs in Node). */
export const PYODIDE_DIR = fileURLToPath(
  new URL('../../../node_modules/pyodide/', import.meta.url),
);
/**
 * The build's snapshot of a booted interpreter (scripts/python-snapshot.mjs; the Astro integration
 * and the unit tests' global set-up make it when missing or stale). Node's workers start from it
 * as the browser's do: seconds less per interpreter.
 */
export const NODE_SNAPSHOT = fileURLToPath(
  new URL('../../../public/pyodide/python-snapshot.bin', import.meta.url),
);
const SHIM_DIR = new URL('../python/shim/', import.meta.url);
const GREEN_SOURCE = new URL('../python/green/green_thread.py', import.meta.url);
const PROCESS_POOL_SOURCE = new URL('../python/green/process_pool.py', import.meta.url);
const MULTIPROCESSING_SOURCE = new URL(
  '../python/shim/08_unsupported_multiprocessing.py',
  import.meta.url,
);

/** The Node entry of a Python worker (python.worker.ts beside this file). */
export const NODE_PYTHON_WORKER_ENTRY = new URL('./python.worker.ts', import.meta.url);
/** The Node entries of the green-thread engine's worker and ticker (beside this file). */
export const NODE_GREEN_WORKER_ENTRY = new URL('./green.worker.ts', import.meta.url);
export const NODE_GREEN_TICKER_ENTRY = new URL('./green-ticker.worker.ts', import.meta.url);
export const NODE_NATIVE_WORKER_ENTRY = new URL('./native.worker.ts', import.meta.url);

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
  const { factory, tracker } = nodeWorkerFactory(NODE_PYTHON_WORKER_ENTRY);
  const green = nodeWorkerFactory(NODE_GREEN_WORKER_ENTRY);
  const ticker = nodeWorkerFactory(NODE_GREEN_TICKER_ENTRY);
  const native = nodeWorkerFactory(NODE_NATIVE_WORKER_ENTRY);
  const runner = createPythonRunner({
    workerFactory: factory,
    greenWorkerFactory: green.factory,
    greenTickerFactory: ticker.factory,
    nativeWorkerFactory: native.factory,
    greenSource: {
      thread: readFileSync(GREEN_SOURCE, 'utf8'),
      processPool: readFileSync(PROCESS_POOL_SOURCE, 'utf8'),
      multiprocessing: readFileSync(MULTIPROCESSING_SOURCE, 'utf8'),
    },
    indexURL: PYODIDE_DIR,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    shimSource: readShimSource(),
    // A stale file (another Pyodide build) is no error: the workers then boot the long way.
    snapshot: existsSync(NODE_SNAPSHOT) ? NODE_SNAPSHOT : null,
    cpuCount: 2,
    // The eval-loop warm-up costs seconds of CPU the tests do not need (they never time).
    warmUp: false,
    ...options,
  });
  return {
    runner,
    tracker: mergedTracker([tracker, green.tracker, ticker.tracker, native.tracker]),
  };
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
