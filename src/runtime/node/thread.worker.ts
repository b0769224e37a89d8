// Node entry for a runtime worker: the same API as the browser's thread.worker.ts, over worker_threads.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { api } from '../experiments/thread.api.ts';

if (parentPort === null) throw new Error('node-thread.worker.ts must run in a worker thread');
expose(api, nodeEndpoint(parentPort));
