/**
 * The parent process of a CPython process pool, modelled by real work. In CPython every task
 * submitted to a ProcessPoolExecutor is pickled and routed by the parent (the submitting thread,
 * the pool's management thread and its queue feeder, under the parent's one GIL) and its result
 * read back the same way: one task at a time, about a quarter of a millisecond of CPU each on the
 * reference machine (`npm run measure:cpython`, tinyTasks.sendPerTask: no-op tasks through a warm
 * 2-process fork pool, total ÷ tasks). A browser's main thread posts a message in microseconds,
 * so without a model 1,000 tasks of 0.1 ms on two processes ran at 0.76× a plain loop where
 * CPython ran at 0.46×.
 *
 * The model: a worker of its own plays the parent. For every task submitted to the pool it
 * computes that cost (a countdown sized on this device to CPython's measured ms per task), then
 * counts the task sent; the process worker that got task k waits (its lane idle: the task has
 * not arrived) until k tasks before it and itself are sent. So the pool moves at most one task
 * per cost, as CPython's parent does, and the browser's own message trips overlap the parent's
 * work instead of adding to it. The cost is CPU time, as CPython's is: a busy machine slows it
 * as much as it slows the plain loop it is compared with, and the parent takes a core from the
 * processes as CPython's third process does. (It was a sleep on a shared clock: a busy machine
 * slowed the plain loop but not the sleep, and the same 1,000 tasks came out at 0.46× in
 * Chromium, and up to 1.2× on a busy machine, against CPython's 0.30×.)
 * SEND_MODEL_MS in result.ts says in every result that the sending is modelled.
 */
import { CANCEL, PARENT_SENT, PARENT_SUBMITTED } from '../core/control.ts';

/** Set in the submitted-count word once no more tasks will be submitted. */
const CLOSED = 1 << 30;
/**
 * Longest single wait, ms: a cancel that lands between a waiter's look at the flag and its wait
 * is only seen after this (cancelAll's notify came too early to wake it).
 */
const RECHECK_MS = 50;

/** Main thread: one more task was submitted to the pool; its parent will send it. */
export function submitToParent(control: Int32Array): void {
  Atomics.add(control, PARENT_SUBMITTED, 1);
  Atomics.notify(control, PARENT_SUBMITTED);
}

/** Main thread: no more tasks will come; the parent ends once it has sent every one. */
export function closeParent(control: Int32Array): void {
  Atomics.or(control, PARENT_SUBMITTED, CLOSED);
  Atomics.notify(control, PARENT_SUBMITTED);
}

/**
 * The parent's loop, in its own worker: `send()` (one task's work) for every submitted task, in
 * order, each counted sent when done. Returns how many it sent, once closed with every task sent
 * or when the run is cancelled. Workers only: it waits with Atomics.wait.
 */
export function runParent(control: Int32Array, send: () => void): number {
  for (;;) {
    const word = Atomics.load(control, PARENT_SUBMITTED);
    const sent = Atomics.load(control, PARENT_SENT);
    if (Atomics.load(control, CANCEL) !== 0) return sent;
    if (sent < (word & ~CLOSED)) {
      send();
      Atomics.add(control, PARENT_SENT, 1);
      Atomics.notify(control, PARENT_SENT);
    } else if (word & CLOSED) return sent;
    // Woken by the next submission, the close or a cancel (cancelAll notifies this word too).
    else Atomics.wait(control, PARENT_SUBMITTED, word, RECHECK_MS);
  }
}

/**
 * A process worker: waits until the parent has sent the pool's task number `index` (0-based, in
 * the order tasks were handed out), or the run is cancelled. Workers only.
 */
export function awaitSent(control: Int32Array, index: number): void {
  for (;;) {
    const sent = Atomics.load(control, PARENT_SENT);
    if (sent > index || Atomics.load(control, CANCEL) !== 0) return;
    Atomics.wait(control, PARENT_SENT, sent, RECHECK_MS);
  }
}
