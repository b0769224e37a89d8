// Node entry for the green-thread run's ticker (the browser's green-ticker.worker.ts).
import { parentPort } from 'node:worker_threads';
import { greenControl, runTicker } from '../python/green/control.ts';

if (parentPort === null) throw new Error('green-ticker.worker.ts must run in a worker thread');
parentPort.on('message', (buffer: SharedArrayBuffer) => runTicker(greenControl(buffer)));
