// Node entry for a Python worker: the same API as the browser's python.worker.ts, over worker_threads.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { api } from '../python/python.api.ts';

if (parentPort === null) throw new Error('node-python.worker.ts must run in a worker thread');

// A browser's Web Worker counts performance.now() from its own start (its own timeOrigin); Node's
// worker_threads share the process's. Count as browsers do, so what compares clocks across
// workers (timeline, time.perf_counter) is tested as the page runs it.
const started = performance.now();
const origin = performance.timeOrigin + started;
const now = performance.now.bind(performance);
Object.defineProperty(performance, 'timeOrigin', { value: origin });
Object.defineProperty(performance, 'now', { value: () => now() - started });

expose(api, nodeEndpoint(parentPort));
