/**
 * The shared memory of one Python run, beside the experiments' control block (cancel flag, event
 * sequence, one GIL region per address space): interrupt words that Pyodide polls (its eval
 * breaker), the future state table, the threading.Lock table, and one mailbox per interpreter.
 * Everything is SharedArrayBuffer-backed and structured-clone friendly, so each interpreter's
 * worker gets the same memory and can block on it with Atomics.wait.
 */
import { createControl } from '../core/control.ts';

/** Interpreters per run (main program + threads + processes), and lanes in its timeline. */
export const MAX_INTERPRETERS = 8;
/** Futures (Thread starts and executor tasks) per run. */
export const MAX_FUTURES = 1 << 16;
/** threading.Lock / RLock objects per run. */
export const LOCK_SLOTS = 1024;
/** Largest result one interpreter can receive while blocked in join()/result(), bytes. */
export const MAILBOX_BYTES = 8 << 20;

/** Future states, as CPython's concurrent.futures names them. */
export const FUTURE = { pending: 0, running: 1, finished: 2, cancelled: 3 } as const;

/** Words of a future table: [0] the run's id counter, then one state word per id. */
export const NEXT_ID = 0;

/** Words per lock slot (64 bytes, so spinning lanes do not share cache lines). */
export const LOCK_STRIDE = 16;
/** Lock slot fields: registry key, futex word (0 free, 1 locked, 2 contended), owner lane + 1. */
export const LOCK_KEY = 0;
export const LOCK_STATE = 1;
export const LOCK_OWNER = 2;
/** Words before the first lock slot; word 0 counts keys of locks made at run time. */
export const LOCKS_HEADER = 16;

/** The signal number Pyodide passes to our Python handler for a switch request. */
export const SIGUSR1 = 10;
/** SIGINT: Python raises KeyboardInterrupt. */
export const SIGINT = 2;
/**
 * SIGUSR2: the coordinator asks an interpreter to post the output it holds back (its worker
 * batches output and cannot post on its own while Python computes without calling into JS).
 */
export const SIGUSR2 = 12;
/** Word of a lane's signal slot (after the interrupt word) that is 1 while it holds back output. */
export const OUTPUT_PENDING = 1;

/** All shared memory of a run except the mailboxes (made per interpreter). */
export interface PythonMemory {
  /** The experiments' control block: CANCEL, SEQ and one GIL region per address space. */
  control: Int32Array;
  /**
   * One signal slot per lane, 64 bytes apart: the interrupt word (Pyodide reads element 0 of the
   * view it gets), then OUTPUT_PENDING.
   */
  signals: Int32Array;
  futures: Int32Array;
  locks: Int32Array;
}

/** Allocates a run's memory; every GIL region starts at `switchIntervalMs`. */
export function createPythonMemory(switchIntervalMs: number): PythonMemory {
  const words = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(n * 4));
  const futures = words(1 + MAX_FUTURES);
  futures[NEXT_ID] = 1;
  const locks = words(LOCKS_HEADER + LOCK_SLOTS * LOCK_STRIDE);
  return {
    control: createControl(MAX_INTERPRETERS, switchIntervalMs),
    signals: words(MAX_INTERPRETERS * 16),
    futures,
    locks,
  };
}

/** The Int32Array Pyodide's setInterruptBuffer() gets for `lane`. */
export function signalSlot(memory: PythonMemory, lane: number): Int32Array {
  return new Int32Array(memory.signals.buffer, lane * 64, 1);
}

/** Raises `signal` in `lane`'s interpreter unless another signal is already pending there. */
export function raiseSignal(memory: PythonMemory, lane: number, signal: number): void {
  const i = lane * 16;
  if (signal === SIGINT) Atomics.store(memory.signals, i, SIGINT);
  else Atomics.compareExchange(memory.signals, i, 0, signal);
}

/** Marks whether `lane`'s worker holds back output (see SIGUSR2). */
export function markOutputPending(memory: PythonMemory, lane: number, pending: boolean): void {
  Atomics.store(memory.signals, lane * 16 + OUTPUT_PENDING, pending ? 1 : 0);
}

/** Asks `lane`'s interpreter to post the output it holds back, if it holds any. */
export function requestOutputFlush(memory: PythonMemory, lane: number): void {
  if (Atomics.load(memory.signals, lane * 16 + OUTPUT_PENDING) !== 0)
    raiseSignal(memory, lane, SIGUSR2);
}
