// Node entry for a native worker (the browser's green/native.worker.ts API over worker_threads).
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { nativeApi } from '../python/green/native-api.ts';

if (parentPort === null) throw new Error('native.worker.ts must run in a worker thread');

expose(nativeApi, nodeEndpoint(parentPort));
