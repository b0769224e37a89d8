/**
 * The GIL, modelled on CPython 3.2+ (`Python/ceval_gil.c`): state in shared memory, Atomics only,
 * real sleeping in `Atomics.wait`. A waiter sleeps one switch interval; if the holder has not
 * changed meanwhile it sets the drop request, which the holder honours at its next eval-breaker
 * point. With FORCE_SWITCHING the dropping thread then sleeps until another thread has taken the
 * lock. As in CPython there is no fairness: whichever waiter's compare-exchange wins, wins.
 */

/** Words per GIL region (64 bytes). */
export const LOCK_WORDS = 16;
/** 1 while held. Waiters sleep on this word. */
export const LOCKED = 0;
/** Thread id of the holder, 0 when free. */
export const OWNER = 1;
/**
 * gil_drop_request: set by a waiter whose interval ran out, to the id of the thread it is aimed at
 * (the holder then: last_holder), 0 when none. Any non-zero value asks the holder to drop.
 */
export const DROP = 2;
/** switch_number: incremented when the lock passes to a different thread (never on the first take). */
export const SWITCH = 3;
/** Threads currently waiting to take the lock. */
export const WAITERS = 4;
/** Switch interval in µs; may be changed while threads run (sys.setswitchinterval). */
export const INTERVAL_US = 5;
/** last_holder: the FORCE_SWITCHING wait sleeps on this word. */
export const LAST_HOLDER = 6;
/** Float64 slot (words 8–9): when the lock was last released with waiters present, in ms. */
const RELEASED_AT_WORD = 8;

/** Reads a GIL region's counters without touching the lock (safe on the main thread). */
export function readLock(
  words: Int32Array,
  base: number,
): { switches: number; owner: number; waiters: number } {
  return {
    switches: Atomics.load(words, base + SWITCH),
    owner: Atomics.load(words, base + OWNER),
    waiters: Atomics.load(words, base + WAITERS),
  };
}

/** Longest interval the Int32 word holds, µs (about 36 minutes). */
const MAX_INTERVAL_US = 0x7fffffff;

/**
 * Sets a region's switch interval, like sys.setswitchinterval; takes effect at the next wait.
 * Throws a RangeError for a value that is not a finite number above 0; otherwise clamps to what the
 * word holds (1 µs … about 36 minutes). Callers with a narrower allowed range check it first.
 */
export function setSwitchInterval(words: Int32Array, base: number, ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`switch interval must be a finite number of ms above 0 (got ${ms})`);
  }
  const us = Math.min(MAX_INTERVAL_US, Math.max(1, Math.round(ms * 1000)));
  Atomics.store(words, base + INTERVAL_US, us);
}

/** One thread's handle on one GIL region. Only worker threads call the blocking methods. */
export class Gil {
  readonly #w: Int32Array;
  readonly #f: Float64Array;
  readonly #b: number;
  readonly #id: number;
  readonly #now: () => number;
  readonly #cancel: () => void;
  readonly #onDropRequest: ((owner: number) => void) | null;
  /** Hand-off latencies this thread saw, µs: from the holder's release to our take. */
  readonly handoffsUs: number[] = [];

  /**
   * `threadId` must be ≥ 1; `checkCancel` throws when the run is cancelled. `onDropRequest` is
   * called with the holder's id whenever this waiter sets the drop request: interpreters whose
   * eval breaker cannot poll shared memory (Pyodide) get a signal raised there.
   */
  constructor(
    words: Int32Array,
    base: number,
    threadId: number,
    now: () => number,
    checkCancel: () => void,
    onDropRequest?: (owner: number) => void,
  ) {
    this.#w = words;
    this.#f = new Float64Array(words.buffer);
    this.#b = base;
    this.#id = threadId;
    this.#now = now;
    this.#cancel = checkCancel;
    this.#onDropRequest = onDropRequest ?? null;
  }

  /** True when a waiter has asked the holder to drop the lock (the eval breaker bit). */
  dropRequested(): boolean {
    return Atomics.load(this.#w, this.#b + DROP) !== 0;
  }

  /** Takes the lock if it is free, without waiting. */
  tryTake(): boolean {
    if (Atomics.compareExchange(this.#w, this.#b + LOCKED, 0, 1) !== 0) return false;
    this.#taken();
    return true;
  }

  /** Waits for the lock, asking the holder to drop it after each silent switch interval. */
  take(): void {
    const w = this.#w;
    const b = this.#b;
    const since = this.#now();
    Atomics.add(w, b + WAITERS, 1);
    try {
      while (Atomics.compareExchange(w, b + LOCKED, 0, 1) !== 0) {
        const switchNumber = Atomics.load(w, b + SWITCH);
        const intervalMs = Atomics.load(w, b + INTERVAL_US) / 1000;
        const r = Atomics.wait(w, b + LOCKED, 1, intervalMs);
        if (
          r === 'timed-out' &&
          Atomics.load(w, b + LOCKED) === 1 &&
          Atomics.load(w, b + SWITCH) === switchNumber
        ) {
          // Aimed at the holder (CPython ≥ 3.13 signals the holding thread itself); never 0 here:
          // the lock is held, so someone has taken it.
          Atomics.store(w, b + DROP, Atomics.load(w, b + LAST_HOLDER) || -1);
          const owner = Atomics.load(w, b + OWNER);
          if (owner !== 0) this.#onDropRequest?.(owner);
        }
        this.#cancel();
      }
    } finally {
      Atomics.sub(w, b + WAITERS, 1);
    }
    const releasedAt = this.#f[(b + RELEASED_AT_WORD) >> 1] ?? 0;
    if (releasedAt >= since) this.handoffsUs.push((this.#now() - releasedAt) * 1000);
    this.#taken();
  }

  #taken(): void {
    const w = this.#w;
    const b = this.#b;
    Atomics.store(w, b + OWNER, this.#id);
    const last = Atomics.load(w, b + LAST_HOLDER);
    if (last !== this.#id) {
      Atomics.store(w, b + LAST_HOLDER, this.#id);
      // switch_number counts hand-overs between threads. CPython bumps it on the very first take
      // too, but that happens at interpreter start-up, long before any run: a run that never
      // passes its lock to another thread (one thread, sequential) made 0 switches.
      if (last !== 0) Atomics.add(w, b + SWITCH, 1);
      Atomics.notify(w, b + LAST_HOLDER);
    }
    // As take_gil does: the request has been served by this take.
    if (Atomics.load(w, b + DROP) !== 0) Atomics.store(w, b + DROP, 0);
  }

  /** Releases the lock; after a requested drop, sleeps until another thread has taken it (unless `allowForced` is false, for clean-up). */
  drop(allowForced = true): void {
    const w = this.#w;
    const b = this.#b;
    const forced = Atomics.load(w, b + DROP) !== 0;
    const waiters = Atomics.load(w, b + WAITERS) !== 0;
    if (waiters) this.#f[(b + RELEASED_AT_WORD) >> 1] = this.#now();
    Atomics.store(w, b + OWNER, 0);
    Atomics.store(w, b + LOCKED, 0);
    if (waiters || Atomics.load(w, b + WAITERS) !== 0) Atomics.notify(w, b + LOCKED, 1);
    if (!forced || !allowForced) return;
    // FORCE_SWITCHING, as drop_gil does: reset the request only if it is still the one aimed at
    // us, i.e. nobody has taken the lock since (CPython checks last_holder == tstate under
    // switch_mutex; one compare-exchange is the same atomic step). A request set meanwhile for
    // the next holder must survive, even if this thread was descheduled right after releasing.
    Atomics.compareExchange(w, b + DROP, this.#id, 0);
    // Then do not compete again until someone else has held the lock.
    while (Atomics.load(w, b + LAST_HOLDER) === this.#id && Atomics.load(w, b + WAITERS) !== 0) {
      Atomics.wait(w, b + LAST_HOLDER, this.#id, 20);
      this.#cancel();
    }
  }
}
