// Node entry for a Python worker: the same API as the browser's python.worker.ts, over worker_threads.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { api } from '../../../src/runtime/workers/python.api.ts';

if (parentPort === null) throw new Error('node-python.worker.ts must run in a worker thread');
expose(api, nodeEndpoint(parentPort));
