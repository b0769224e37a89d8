import { fnv1a } from './hash.ts';
import type { Workload } from './types.ts';

/** hashlib-style C call: the same hash computed with the GIL released (Py_BEGIN_ALLOW_THREADS). */
export const native: Workload = {
  calibrationStart: 1,
  run(size, task, interp) {
    const data = task.data;
    if (data === null) throw new Error('native needs an input buffer');
    // C code never checks the eval breaker; it only notices cancellation, like a signal check.
    return interp.native(() => fnv1a(data, size, task.index, () => interp.checkCancel()));
  },
};
