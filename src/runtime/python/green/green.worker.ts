// A green-thread Python worker: one interpreter running every thread of a GIL-mode program.
import { expose } from 'comlink';
import { greenApi } from './worker-api.ts';

expose(greenApi);
