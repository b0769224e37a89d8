// green_thread.py's text, bundled by Vite (Vitest too). Plain Node (the bench) reads the file
// itself and passes it as `greenSource`, so nothing else imports this module eagerly.
import thread from './green_thread.py?raw';
import processPool from './process_pool.py?raw';
import multiprocessing from '../shim/08_unsupported_multiprocessing.py?raw';
import type { GreenSources } from './engine.ts';

export default { thread, processPool, multiprocessing } satisfies GreenSources;
