// The green-thread run's ticker: raises the GIL's drop requests while the interpreter computes.
import { greenControl, runTicker } from './control.ts';

self.addEventListener('message', (e: MessageEvent<SharedArrayBuffer>) => {
  runTicker(greenControl(e.data));
});
