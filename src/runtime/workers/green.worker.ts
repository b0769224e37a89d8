// A green-thread Python worker: one interpreter running every thread of a GIL-mode program.
import { expose } from 'comlink';
import { greenApi } from '../python/green/worker-api.ts';

expose(greenApi);
