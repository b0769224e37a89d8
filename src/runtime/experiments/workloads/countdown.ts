import type { Interp } from '../../core/interp.ts';
import type { Workload } from './types.ts';

/** Iterations between eval-breaker checks: about a microsecond or two of work. */
const CHUNK = 2048;

/**
 * Most iterations one `countRange` call counts: a multiple of CHUNK (so of 256 too), below 2^30 so
 * its counter is always a small integer (a V8 Smi).
 */
const BLOCK = 1 << 29;

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

/**
 * The hot loop: counts `n` (at most BLOCK) down in CHUNKs, checking the eval breaker after each.
 * It must only ever see small integers. One heap number here (from a task above 2^30 iterations,
 * such as the plain-loop baseline of two tasks) teaches V8 that the counter may be a double; that
 * costs nothing while the loop runs uncontended, but when the GIL's drop path first deoptimises it,
 * V8 re-optimises it only as far as Maglev, and that worker's whole first contended run is slow.
 */
function countRange(n: number, acc: number, interp: Interp): number {
  while (n > 0) {
    const k = n > CHUNK ? CHUNK : n;
    acc = countDown(k, (acc + (n % 256)) | 0);
    n -= k;
    interp.tick();
  }
  return acc;
}

/** `while n > 0: n -= 1`, with a running checksum so the loop is real work. */
export const countdown: Workload = {
  calibrationStart: 100_000,
  run(size, _task, interp) {
    // Whole BLOCKs from the top, then the rest (`| 0` makes it a Smi again after double
    // arithmetic): the same chunks in the same order as one loop over `n`. A block above `rest`
    // counts from BLOCK instead of rest + BLOCK, and each of its chunks would have added
    // rest % 256 more (CHUNK and BLOCK are multiples of 256), so the checksum is unchanged.
    let acc = 0;
    let rest = size;
    while (rest > BLOCK) {
      rest -= BLOCK;
      acc = (countRange(BLOCK, acc, interp) + (BLOCK / CHUNK) * (rest % 256)) | 0;
    }
    return countRange(rest | 0, acc, interp);
  },
};
