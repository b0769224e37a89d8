// Node entry for the green-thread Python worker: the browser's green.worker.ts API over worker_threads.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { greenApi } from '../python/green/worker-api.ts';

if (parentPort === null) throw new Error('green.worker.ts must run in a worker thread');

// Count performance.now() from this worker's start, as browsers' workers do (see python.worker.ts).
const started = performance.now();
const origin = performance.timeOrigin + started;
const now = performance.now.bind(performance);
Object.defineProperty(performance, 'timeOrigin', { value: origin });
Object.defineProperty(performance, 'now', { value: () => now() - started });

expose(greenApi, nodeEndpoint(parentPort));
