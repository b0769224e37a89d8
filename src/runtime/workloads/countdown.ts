import type { Workload } from './types.ts';

/** Iterations between eval-breaker checks: about a microsecond or two of work. */
const CHUNK = 2048;

/**
 * One stretch of `n -= 1` between back-edge checks, counting a small integer down. A separate
 * small function so engines optimise it by call count (Chromium's workers were slow to tier up a
 * nested loop), and small-integer arguments so sizes above 2^30 do not push it onto a slow
 * floating-point path.
 */
function countDown(k: number, acc: number): number {
  while (k > 0) {
    k -= 1;
    acc = (acc + (k & 0xff)) | 0;
  }
  return acc;
}

/** `while n > 0: n -= 1`, with a running checksum so the loop is real work. */
export const countdown: Workload = {
  calibrationStart: 100_000,
  run(size, _task, interp) {
    let n = size;
    let acc = 0;
    while (n > 0) {
      const k = n > CHUNK ? CHUNK : n;
      acc = countDown(k, (acc + (n % 256)) | 0);
      n -= k;
      interp.tick();
    }
    return acc;
  },
};
