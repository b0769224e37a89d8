/**
 * The runtime in Node: worker_threads instead of Web Workers (tests and the bench). Node-only —
 * nothing the site's pages import may reach this face.
 */
export { NODE_WORKER_ENTRY, nodeWorkerFactory, type NodeWorkerTracker } from './worker-factory.ts';
export { PYODIDE_DIR, nodePythonRunner, readShimSource } from './python-runner.ts';
