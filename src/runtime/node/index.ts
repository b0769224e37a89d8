/**
 * The runtime in Node: worker_threads instead of Web Workers (tests and the bench). Node-only —
 * nothing the site's pages import may reach this face.
 */
export { NODE_WORKER_ENTRY, nodeWorkerFactory, type NodeWorkerTracker } from './worker-factory.ts';
export {
  NODE_PYTHON_WORKER_ENTRY,
  NODE_SNAPSHOT,
  PYODIDE_DIR,
  nodePythonRunner,
  readShimSource,
} from './python-runner.ts';
/** Parts of the Python runner the bench times on their own (the hook's overhead per interpreter). */
export { loadAssets } from '../python/assets.ts';
export { InterpreterPool } from '../python/interpreters.ts';
