/**
 * A mutex in one Int32 word of shared memory, over Atomics.wait/notify: Drepper's "mutex2" from
 * "Futexes Are Tricky" (0 free, 1 locked, 2 locked and maybe with sleepers, so an unlock without
 * sleepers costs no notify). The one lock algorithm under threading.Lock in both engines: the
 * experiments' UserLock (control.ts) and Run Python's shared lock table (python/locks.ts).
 */

/** How a blocking lock ended. */
export type AcquireOutcome = 'acquired' | 'timeout' | 'cancelled';

/** Longest single sleep, ms: the cancel check runs at least this often. */
const WAKE_MS = 50;

/** Takes the mutex at `words[i]` if it is free; true on success. */
export function futexTryLock(words: Int32Array, i: number): boolean {
  return Atomics.compareExchange(words, i, 0, 1) === 0;
}

/**
 * Sleeps (really: Atomics.wait, workers only) until the mutex at `words[i]` is ours, `timeoutMs`
 * passes (< 0: never) or `cancelled()` says so (it may also throw to abandon the wait).
 */
export function futexLock(
  words: Int32Array,
  i: number,
  cancelled: () => boolean,
  timeoutMs = -1,
): AcquireOutcome {
  let c = Atomics.compareExchange(words, i, 0, 1);
  if (c === 0) return 'acquired';
  const deadline = timeoutMs < 0 ? Infinity : performance.now() + timeoutMs;
  if (c !== 2) c = Atomics.exchange(words, i, 2);
  while (c !== 0) {
    if (cancelled()) return 'cancelled';
    const left = deadline - performance.now();
    if (left <= 0) return 'timeout';
    Atomics.wait(words, i, 2, Math.min(left, WAKE_MS));
    c = Atomics.exchange(words, i, 2);
  }
  return 'acquired';
}

/** Unlocks the mutex at `words[i]`, waking one sleeper if there may be one; false if it was free. */
export function futexUnlock(words: Int32Array, i: number): boolean {
  if (Atomics.load(words, i) === 0) return false;
  if (Atomics.sub(words, i, 1) !== 1) {
    Atomics.store(words, i, 0);
    Atomics.notify(words, i, 1);
  }
  return true;
}
