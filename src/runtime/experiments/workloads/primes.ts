import type { Workload } from './types.ts';

/** Every task tests the same window of numbers starting here, so tasks are identical work. */
export const PRIMES_BASE = 10_000_000;

/** Trial division: is `n` prime? */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** Counts primes in [PRIMES_BASE, PRIMES_BASE + size), checking the eval breaker per number. */
export const primes: Workload = {
  calibrationStart: 2_000,
  run(size, _task, interp) {
    let count = 0;
    for (let n = PRIMES_BASE; n < PRIMES_BASE + size; n++) {
      if (isPrime(n)) count++;
      interp.tick();
    }
    return count;
  },
};
