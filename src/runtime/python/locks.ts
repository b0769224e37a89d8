/**
 * threading.Lock and RLock over shared memory, so that a lock really is shared by the
 * interpreters of one run. A lock is found by a key: locks made while the program's module runs
 * are keyed by where they were made (address space, line, n-th at that line), so
 * `lock = threading.Lock()` at module level is the same lock in every interpreter that runs the
 * module; locks made later get a fresh key. Keys map to slots through an open-addressing table
 * filled with compare-exchange, so no interpreter needs to ask the coordinator.
 */
import { futexLock, futexTryLock, futexUnlock, type AcquireOutcome } from '../core/futex.ts';
import {
  LOCKS_HEADER,
  LOCK_KEY,
  LOCK_OWNER,
  LOCK_SLOTS,
  LOCK_STATE,
  LOCK_STRIDE,
} from './memory.ts';

/** One interpreter's view of a run's lock table. */
export class SharedLocks {
  readonly #w: Int32Array;
  readonly #cancelled: () => boolean;

  constructor(words: Int32Array, cancelled: () => boolean) {
    this.#w = words;
    this.#cancelled = cancelled;
  }

  /** A key for a lock made at run time (negative, so it never meets a module-level key). */
  freshKey(): number {
    return -(Atomics.add(this.#w, 0, 1) + 1);
  }

  /** The slot (its first word) of the lock with `key` (non-zero), claiming one if new. */
  slot(key: number): number {
    const start = (Math.imul(key, 0x9e3779b1) >>> 0) % LOCK_SLOTS;
    for (let i = 0; i < LOCK_SLOTS; i++) {
      const base = LOCKS_HEADER + ((start + i) % LOCK_SLOTS) * LOCK_STRIDE;
      const seen = Atomics.compareExchange(this.#w, base + LOCK_KEY, 0, key);
      if (seen === 0 || seen === key) return base;
    }
    throw new Error(`GIL Lab: a run can make at most ${LOCK_SLOTS} locks`);
  }

  /** Takes the lock if free; `owner` is the taking lane + 1. */
  tryAcquire(base: number, owner: number): boolean {
    if (!futexTryLock(this.#w, base + LOCK_STATE)) return false;
    Atomics.store(this.#w, base + LOCK_OWNER, owner);
    return true;
  }

  /** Sleeps until the lock is ours, `timeoutMs` passes (< 0: never) or the run is cancelled. */
  acquireBlocking(base: number, owner: number, timeoutMs: number): AcquireOutcome {
    const outcome = futexLock(this.#w, base + LOCK_STATE, this.#cancelled, timeoutMs);
    if (outcome === 'acquired') Atomics.store(this.#w, base + LOCK_OWNER, owner);
    return outcome;
  }

  /** Releases the lock; false if it was not locked (Python raises RuntimeError). */
  release(base: number): boolean {
    if (!this.locked(base)) return false;
    Atomics.store(this.#w, base + LOCK_OWNER, 0);
    return futexUnlock(this.#w, base + LOCK_STATE);
  }

  /** Lane + 1 of the holder, 0 when free. */
  owner(base: number): number {
    return Atomics.load(this.#w, base + LOCK_OWNER);
  }

  locked(base: number): boolean {
    return Atomics.load(this.#w, base + LOCK_STATE) !== 0;
  }
}

/** Wakes every interpreter sleeping on a lock of the table (Stop). */
export function wakeAllLocks(words: Int32Array): void {
  for (let s = 0; s < LOCK_SLOTS; s++)
    Atomics.notify(words, LOCKS_HEADER + s * LOCK_STRIDE + LOCK_STATE);
}
