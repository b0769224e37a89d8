import type { Workload } from './types.ts';

/** `calls` blocking calls of `size` ms each (the worker really sleeps), each followed by a little parsing. */
export const io: Workload = {
  calibrationStart: 1,
  run(size, task, interp) {
    let acc = 0;
    for (let c = 0; c < task.workload.calls; c++) {
      interp.blockingIo(size);
      // "Parse the response": a few µs of Python-level work that needs the GIL back.
      for (let i = 0; i < 512; i++) acc = (acc * 31 + i + c) | 0;
      interp.tick();
    }
    return acc;
  },
};
