import type { Workload } from './types.ts';

/** The function called between read and write: its entry is an eval-breaker point. */
const identity = (v: number): number => v;

/**
 * `counter += 1`, `size` times, on a counter in shared memory: a non-atomic read, optionally a call,
 * then a write. Under the GIL a switch can only land at the call (or the back-edge); free-threaded
 * threads really run the read-modify-write in parallel. `useLock` wraps it in a threading.Lock.
 */
export const race: Workload = {
  calibrationStart: 10_000,
  run(size, task, interp) {
    const { callBetween, useLock } = task.workload;
    for (let k = 0; k < size; k++) {
      if (useLock) interp.lockAcquire();
      let v = interp.readCounter();
      if (callBetween) v = interp.call(() => identity(v));
      interp.writeCounter(v + 1);
      if (useLock) interp.lockRelease();
      interp.tick();
    }
    return size;
  },
};
