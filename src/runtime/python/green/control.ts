/**
 * The shared words of a green-thread run, and the ticker: CPython's "drop request" for an
 * interpreter whose JavaScript cannot run while Python computes.
 *
 * In CPython (Python/ceval_gil.c) a thread that wants the GIL waits one switch interval; if the
 * holder has not switched meanwhile, the waiter sets the eval breaker's drop request and the
 * holder hands the GIL over at its next check (forced switching). Here every waiter is a stack
 * of the same interpreter, whose worker is busy running the holder: so another thread (the
 * ticker) watches the scheduler's published state and raises SIGUSR1 through Pyodide's
 * interrupt buffer, which CPython's own eval breaker checks. The scheduler then resumes the
 * first waiter (green/scheduler.ts).
 */

/** Pyodide's interrupt buffer: a signal number CPython's eval breaker picks up (then zeroes). */
export const INTERRUPT = 0;
/** 1 while the worker holds back output (SIGUSR2 asks it to post it). */
export const OUTPUT_PENDING = 1;
/** Bumped whenever anything below changes; the ticker sleeps on it. */
export const SEQ = 2;
/** Threads ready to run, waiting for the GIL. */
export const READY = 3;
/** 1 while a green thread runs Python (a switch request can be served). */
export const RUNNING = 4;
/** GIL hand-overs from one thread to another. */
export const SWITCHES = 5;
/** sys.getswitchinterval() in µs. */
export const INTERVAL_US = 6;
/** 1: the run is over or stopped; the ticker exits. */
export const CLOSED = 7;
/** 1 after the ticker raised SIGUSR1, until the worker's handler runs. */
export const REQUESTED = 8;
/** Stop: STOP_ASKED once pressed (the page raised SIGINT), STOP_SEEN once the worker saw it. */
export const STOP = 9;
export const STOP_ASKED = 1;
export const STOP_SEEN = 2;
/**
 * Native calls (hashlib, zlib in a native worker, native-api.ts) that have finished but whose
 * reply the interpreter has not read yet: their threads want the GIL back (a drop request).
 */
export const NATIVE_DONE = 10;
/**
 * Results a pool's processes posted (green/processes.ts) that the interpreter has not taken in
 * yet: the pool's manager thread wants the GIL to hand them over (a drop request).
 */
export const PROCESS_DONE = 11;

/** Float64 slots (byte offset 128 onwards). */
/** When the first thread now waiting for the GIL started waiting (or the last switch), ms. */
export const WAIT_FROM = 0;
/** Earliest deadline of a sleeping or timed wait, ms (Infinity: none). */
export const NEXT_DEADLINE = 1;
/** When output started being held back, ms. */
export const OUTPUT_SINCE = 2;
/** When the ticker last raised SIGUSR1 (REQUESTED), or SIGINT for a Stop not yet seen, ms. */
export const RAISED_AT = 3;
/** When NATIVE_DONE last went from 0 to 1, ms. */
export const NATIVE_AT = 4;
/** When PROCESS_DONE last went from 0 to 1, ms. */
export const PROCESS_AT = 5;

export const SIGINT = 2;
export const SIGUSR1 = 10;
export const SIGUSR2 = 12;

/** How long output may be held back while Python only computes, ms. */
export const OUTPUT_NUDGE_MS = 50;

/** The shared words of one run (views over one SharedArrayBuffer). */
export interface GreenControl {
  buffer: SharedArrayBuffer;
  words: Int32Array;
  times: Float64Array;
}

export function createGreenControl(switchIntervalMs: number): GreenControl {
  const buffer = new SharedArrayBuffer(256);
  const control = greenControl(buffer);
  control.words[INTERVAL_US] = intervalUs(switchIntervalMs / 1000);
  control.times[WAIT_FROM] = Infinity;
  control.times[NEXT_DEADLINE] = Infinity;
  return control;
}

/** sys.setswitchinterval's seconds as the INTERVAL_US word: at least 1 µs, at most what an
 * Int32 holds (about 36 minutes: larger intervals are clamped, never wrapped negative). */
export function intervalUs(seconds: number): number {
  // NaN passes CPython's `interval <= 0` check: it becomes the longest interval, never 0.
  if (Number.isNaN(seconds)) return 2 ** 31 - 1;
  return Math.min(2 ** 31 - 1, Math.max(1, Math.round(seconds * 1e6)));
}

export function greenControl(buffer: SharedArrayBuffer): GreenControl {
  return {
    buffer,
    words: new Int32Array(buffer, 0, 32),
    times: new Float64Array(buffer, 128, 16),
  };
}

/** The view Pyodide's setInterruptBuffer() gets. */
export function interruptBuffer(c: GreenControl): Int32Array {
  return new Int32Array(c.buffer, INTERRUPT * 4, 1);
}

/** Wakes the ticker after a change. */
export function changed(c: GreenControl): void {
  Atomics.add(c.words, SEQ, 1);
  Atomics.notify(c.words, SEQ);
}

/** Absolute ms, comparable between workers (each worker's performance.now() has its own origin). */
export function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A signal the ticker raised but the worker has not acted on is raised again after this long, ms.
 * Emscripten's CPython reads and clears the interrupt buffer in two steps, not atomically
 * (`_Py_CheckEmscriptenSignals_Helper`: `r = buffer[0]; buffer[0] = 0`): a signal written
 * between the two is lost. Measured here: about one drop request in a few hundred, after which
 * the running thread kept the GIL for good (the racy counter then lost no update).
 */
export const RAISE_AGAIN_MS = 2;
/** The same for a Stop's SIGINT (the page's, or the ticker's last one) not yet seen, ms. */
export const STOP_AGAIN_MS = 20;

/**
 * One look at the state: raises SIGUSR1 (drop request), SIGUSR2 (post output) or SIGINT (Stop
 * not yet seen) when due, and returns how long the ticker may sleep before the next look, ms.
 */
export function tick(c: GreenControl, now: number): number {
  const w = c.words;
  const interval = Atomics.load(w, INTERVAL_US) / 1000;
  let next = 1000;
  const running = Atomics.load(w, RUNNING) === 1;
  if (running && Atomics.load(w, STOP) === STOP_ASKED) {
    const due = c.times[RAISED_AT]! + STOP_AGAIN_MS;
    if (now >= due) {
      if (Atomics.compareExchange(w, INTERRUPT, 0, SIGINT) === 0) c.times[RAISED_AT] = now;
      next = STOP_AGAIN_MS;
    } else next = due - now;
  } else if (running) {
    let due = c.times[NEXT_DEADLINE]! + interval;
    if (Atomics.load(w, READY) > 0) due = Math.min(due, c.times[WAIT_FROM]! + interval);
    if (Atomics.load(w, NATIVE_DONE) > 0) due = Math.min(due, c.times[NATIVE_AT]! + interval);
    if (Atomics.load(w, PROCESS_DONE) > 0) due = Math.min(due, c.times[PROCESS_AT]! + interval);
    if (Atomics.load(w, REQUESTED) === 1)
      due = Math.max(due, c.times[RAISED_AT]! + Math.max(interval, RAISE_AGAIN_MS));
    if (now >= due) {
      if (Atomics.compareExchange(w, INTERRUPT, 0, SIGUSR1) === 0) {
        c.times[RAISED_AT] = now;
        Atomics.store(w, REQUESTED, 1);
      }
      next = Math.min(next, Math.max(interval, RAISE_AGAIN_MS));
    } else next = Math.min(next, due - now);
  }
  if (Atomics.load(w, OUTPUT_PENDING) === 1) {
    const due = c.times[OUTPUT_SINCE]! + OUTPUT_NUDGE_MS;
    if (now >= due) {
      Atomics.compareExchange(w, INTERRUPT, 0, SIGUSR2);
      next = Math.min(next, OUTPUT_NUDGE_MS);
    } else next = Math.min(next, due - now);
  }
  return Math.max(0.2, next);
}

/** The ticker's loop (in its own worker): looks whenever the state changes or something is due. */
export function runTicker(c: GreenControl, now: () => number = absoluteNow): void {
  while (Atomics.load(c.words, CLOSED) === 0) {
    const seq = Atomics.load(c.words, SEQ);
    const wait = tick(c, now());
    Atomics.wait(c.words, SEQ, seq, wait);
  }
}
