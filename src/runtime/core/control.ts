/**
 * The control block: one small SharedArrayBuffer per run holding the cancel flag, a global sequence
 * counter (an exact order for timeline events, independent of clocks), the race workload's shared
 * counter, a user-level lock (threading.Lock), the modelled parent process's counts and the GIL regions. Words sit 64 bytes apart so
 * threads polling one word do not share a cache line with words others write.
 */
import { futexLock, futexTryLock, futexUnlock } from './futex.ts';
import { LOCK_WORDS, INTERVAL_US } from './gil.ts';

/** Word index of the cancel flag (non-zero: stop). */
export const CANCEL = 0;
/** Word index of the global event sequence counter. */
export const SEQ = 16;
/** Word index of the race workload's shared counter. */
export const COUNTER = 32;
/** Word index of the threading.Lock word (0 free, 1 locked, 2 locked with waiters). */
export const USER_LOCK = 48;
/**
 * Word index of the tasks submitted to a process pool with a modelled parent (the main thread
 * counts them; bit 30 set: no more will come), see experiments/parent-model.ts.
 */
export const PARENT_SUBMITTED = 64;
/** Word index of the tasks that pool's modelled parent has sent so far (its worker counts them). */
export const PARENT_SENT = 80;
/** Word index of the processes that pool's modelled parent has started so far (in lane order). */
export const PARENT_STARTED = 96;
/** Word index where GIL regions start. */
export const LOCKS_BASE = 112;

/** Raised inside a worker when the run is cancelled; crosses comlink by name. */
export class CancelledError extends Error {
  constructor() {
    super('The run was cancelled');
    this.name = 'CancelledError';
  }
}

/** Allocates a control block with `locks` GIL regions, each set to `intervalMs`. */
export function createControl(locks: number, intervalMs: number): Int32Array {
  const words = new Int32Array(
    new SharedArrayBuffer((LOCKS_BASE + Math.max(1, locks) * LOCK_WORDS) * 4),
  );
  // Clamped to what the Int32 word holds (1 µs … about 36 minutes), as setSwitchInterval does:
  // a larger value wrapped around to a negative interval.
  const us = Math.min(0x7fffffff, Math.max(1, Math.round(intervalMs * 1000)));
  for (let i = 0; i < locks; i++) words[lockBase(i) + INTERVAL_US] = us;
  return words;
}

/** First word of GIL region `index`. */
export function lockBase(index: number): number {
  return LOCKS_BASE + index * LOCK_WORDS;
}

/** Sets the cancel flag and wakes every thread sleeping on the control block. */
export function cancelAll(words: Int32Array): void {
  Atomics.store(words, CANCEL, 1);
  Atomics.notify(words, CANCEL);
  Atomics.notify(words, USER_LOCK);
  Atomics.notify(words, PARENT_SUBMITTED);
  Atomics.notify(words, PARENT_SENT);
  Atomics.notify(words, PARENT_STARTED);
  for (let b = LOCKS_BASE; b < words.length; b += LOCK_WORDS) {
    for (let k = 0; k < LOCK_WORDS; k++) Atomics.notify(words, b + k);
  }
}

/** The race workload's threading.Lock: the core's futex mutex on the control block's USER_LOCK word. */
export class UserLock {
  readonly #w: Int32Array;
  readonly #cancel: () => void;
  constructor(words: Int32Array, checkCancel: () => void) {
    this.#w = words;
    this.#cancel = checkCancel;
  }

  /** Takes the lock without blocking; true on success. */
  tryAcquire(): boolean {
    return futexTryLock(this.#w, USER_LOCK);
  }

  /** Blocks (really sleeps) until the lock is ours; the caller must have released the GIL. */
  acquireBlocking(): void {
    futexLock(this.#w, USER_LOCK, () => {
      this.#cancel(); // throws CancelledError when the run is cancelled, which ends the wait
      return false;
    });
  }

  /** Releases the lock and wakes one sleeper if any. */
  release(): void {
    futexUnlock(this.#w, USER_LOCK);
  }
}
