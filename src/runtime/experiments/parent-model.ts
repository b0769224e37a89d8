/**
 * The parent process of a CPython process pool, modelled by real work in a worker of its own,
 * drawn as a lane of its own ("MainProcess").
 *
 * Start-up: CPython's parent starts a pool's processes one after another before it sends the
 * first task (ProcessPoolExecutor launches every fork worker at the first submit). The model:
 * for each process, in lane order, the parent computes that start-up's cost (a countdown sized on
 * this device to CPython's measured start() + join() of a no-op process by the same start method,
 * `npm run measure:cpython`, startup.process), then counts the process started; the process's
 * lane is `starting` until then, and so is the parent's while it works. It was a sleep of the
 * modelled time inside the process worker (and the wall time added it arithmetically): a busy
 * machine slowed everything but that sleep, and nothing on screen did the work.
 *
 * Sending: every task submitted to a ProcessPoolExecutor is pickled and routed by the parent (the
 * submitting thread, the pool's management thread and its queue feeder, under the parent's one
 * GIL) and its result read back the same way: one task at a time, about a quarter of a
 * millisecond of CPU each on the reference machine (tinyTasks.sendPerTask: no-op tasks through a
 * warm 2-process fork pool, total ÷ tasks). A browser's main thread posts a message in
 * microseconds, so without a model 1,000 tasks of 0.1 ms on two processes ran at 0.76× a plain
 * loop where CPython ran at 0.46×. For every task submitted the parent computes that cost (sized
 * on this device), then counts the task sent; the process worker that got task k waits (its lane
 * idle: the task has not arrived) until k tasks before it and itself are sent. So the pool moves
 * at most one task per cost, as CPython's parent does, and the browser's own message trips
 * overlap the parent's work instead of adding to it.
 *
 * Both costs are CPU time, as CPython's are: a busy machine slows them as much as it slows the
 * plain loop they are compared with, and the parent takes a core from the processes as CPython's
 * parent process does. (The sending was a sleep on a shared clock too: the same 1,000 tasks came
 * out at 0.46× in Chromium, and up to 1.2× on a busy machine, against CPython's 0.30×.)
 * START_METHOD_MODEL_MS and SEND_MODEL_MS in result.ts say where each size comes from.
 */
import { CANCEL, PARENT_SENT, PARENT_STARTED, PARENT_SUBMITTED } from '../core/control.ts';

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

/** What the parent is doing, reported at every change (its lane draws it). */
export type ParentState = 'starting' | 'sending' | 'waiting';

/** The parent's real work, one call per process started and per task sent. */
export interface ParentWork {
  /** CPython's start-up of process `i` (0-based, in lane order). */
  start(i: number): void;
  /** CPython's cost of sending one task and taking its result back. */
  send(): void;
  /** Called whenever the parent's state changes (first `starting`, unless no process starts). */
  state?(s: ParentState): void;
}

/**
 * The parent's loop, in its own worker: starts `processes` processes one after another, then
 * does `send()` for every submitted task, in order, each counted sent when done. Returns how many
 * it sent, once closed with every task sent or when the run is cancelled. Workers only: it waits
 * with Atomics.wait.
 */
export function runParent(control: Int32Array, processes: number, work: ParentWork): number {
  const cancelled = () => Atomics.load(control, CANCEL) !== 0;
  let now: ParentState | null = null;
  const enter = (s: ParentState) => {
    if (s !== now) work.state?.((now = s));
  };
  for (let i = Atomics.load(control, PARENT_STARTED); i < processes; i++) {
    if (cancelled()) return Atomics.load(control, PARENT_SENT);
    enter('starting');
    work.start(i);
    Atomics.store(control, PARENT_STARTED, i + 1);
    Atomics.notify(control, PARENT_STARTED);
  }
  for (;;) {
    const word = Atomics.load(control, PARENT_SUBMITTED);
    const sent = Atomics.load(control, PARENT_SENT);
    if (cancelled()) return sent;
    if (sent < (word & ~CLOSED)) {
      enter('sending');
      work.send();
      Atomics.add(control, PARENT_SENT, 1);
      Atomics.notify(control, PARENT_SENT);
    } else if (word & CLOSED) return sent;
    // Woken by the next submission, the close or a cancel (cancelAll notifies this word too).
    else {
      enter('waiting');
      Atomics.wait(control, PARENT_SUBMITTED, word, RECHECK_MS);
    }
  }
}

/**
 * A process worker: waits until the parent has started process `lane` (0-based), or the run is
 * cancelled. Returns at once when it already has. Workers only.
 */
export function awaitStarted(control: Int32Array, lane: number): void {
  for (;;) {
    const started = Atomics.load(control, PARENT_STARTED);
    if (started > lane || Atomics.load(control, CANCEL) !== 0) return;
    Atomics.wait(control, PARENT_STARTED, started, RECHECK_MS);
  }
}

/** True once the parent has started process `lane`. */
export function isStarted(control: Int32Array, lane: number): boolean {
  return Atomics.load(control, PARENT_STARTED) > lane;
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
