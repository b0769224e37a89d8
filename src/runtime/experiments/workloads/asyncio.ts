import type { Workload } from './types.ts';

/**
 * An asyncio event loop on one thread: `calls` coroutines each await a timer of up to `size` ms,
 * all started at once. The loop really blocks (GIL released, like select()) until the next timer
 * is due, then runs that coroutine's callback, a few µs of Python work. The deadlines are spread
 * over the second half of `size`, so the timeline shows the loop waking again and again.
 */
export const asyncio: Workload = {
  calibrationStart: 1,
  run(size, task, interp) {
    const waits = task.workload.calls;
    const start = interp.now();
    const due = (i: number) => start + size * (0.5 + (0.5 * (i + 1)) / waits);
    let acc = 0;
    let next = 0;
    while (next < waits) {
      const sleepMs = due(next) - interp.now();
      if (sleepMs > 0.05) interp.blockingIo(sleepMs);
      // Run every callback whose timer has fired: the loop's "ready" queue.
      while (next < waits && due(next) <= interp.now()) {
        for (let i = 0; i < 64; i++) acc = (acc * 31 + i + next) | 0;
        next++;
        interp.tick();
      }
    }
    return acc;
  },
};
