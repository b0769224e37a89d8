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
/** 1 once Stop was pressed. */
export const STOP = 9;

/** Float64 slots (byte offset 128 onwards). */
/** When the first thread now waiting for the GIL started waiting (or the last switch), ms. */
export const WAIT_FROM = 0;
/** Earliest deadline of a sleeping or timed wait, ms (Infinity: none). */
export const NEXT_DEADLINE = 1;
/** When output started being held back, ms. */
export const OUTPUT_SINCE = 2;

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
  control.words[INTERVAL_US] = Math.round(switchIntervalMs * 1000);
  control.times[WAIT_FROM] = Infinity;
  control.times[NEXT_DEADLINE] = Infinity;
  return control;
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
 * One look at the state: raises SIGUSR1 (drop request) or SIGUSR2 (post output) when due, and
 * returns how long the ticker may sleep before the next look, ms.
 */
export function tick(c: GreenControl, now: number): number {
  const w = c.words;
  const interval = Atomics.load(w, INTERVAL_US) / 1000;
  let next = 1000;
  if (Atomics.load(w, RUNNING) === 1 && Atomics.load(w, REQUESTED) === 0) {
    let due = c.times[NEXT_DEADLINE]! + interval;
    if (Atomics.load(w, READY) > 0) due = Math.min(due, c.times[WAIT_FROM]! + interval);
    if (now >= due) {
      if (Atomics.compareExchange(w, INTERRUPT, 0, SIGUSR1) === 0) Atomics.store(w, REQUESTED, 1);
      next = Math.min(next, interval);
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
