/**
 * The parent process of a CPython process pool, modelled. In CPython every task submitted to a
 * ProcessPoolExecutor is pickled and routed by the parent (the submitting thread, the pool's
 * management thread and its queue feeder, under the parent's one GIL) and its result read back the
 * same way: one task at a time, about a fifth of a millisecond each on the reference machine. A
 * browser's main thread posts a message in microseconds, so without this model 1,000 tasks of
 * 0.1 ms on two processes ran at 0.76× a plain loop where CPython ran at 0.46×.
 *
 * The model: one shared clock word says when the parent is next free. A process worker that
 * receives a task books the parent for `costMs` from the moment the parent could have started on
 * it (it was submitted and the pool was ready), or from when the parent is next free if later, and
 * sleeps until its booking ends before running the task; its lane shows it idle, waiting for the
 * task to arrive. Bookings are serial across all the pool's workers, as the parent's work is, so a
 * pool moves at most one task per `costMs`: CPython's measured throughput (tinyTasks.sendPerTask is
 * no-op tasks through a warm pool, total ÷ tasks, with the pool's own queue feeding the workers
 * ahead). The browser's real trips (postMessage there and back, the main thread's dispatch)
 * overlap the bookings instead of adding to them: booked from each task's arrival, they were paid
 * on top, and 1,000 tasks of 0.1 ms ran at 0.23× a plain loop in Chromium where CPython ran at
 * 0.30× (bench, idle machine, 2026-11-29).
 * The cost is CPython's, measured (`npm run measure:cpython`, tinyTasks.sendPerTask): SEND_MODEL_MS
 * in result.ts, which says in every result that it is modelled. (No JSON here: workers import this.)
 */
import { CANCEL, PARENT_FREE_US } from '../core/control.ts';

/**
 * Books the modelled parent for `costMs`, from `nowMs` or from when it is next free if later;
 * returns when the booking ends (the task has arrived), ms on the run's clock. Lock-free: a
 * compare-and-swap loop on the clock word, so two workers never book the same stretch.
 */
export function bookParent(control: Int32Array, nowMs: number, costMs: number): number {
  const cost = Math.max(1, Math.round(costMs * 1000));
  const now = Math.round(nowMs * 1000);
  for (;;) {
    const free = Atomics.load(control, PARENT_FREE_US);
    const end = Math.max(now, free) + cost;
    if (Atomics.compareExchange(control, PARENT_FREE_US, free, end) === free) return end / 1000;
  }
}

/**
 * Sleeps (really: Atomics.wait) until `untilMs` on the run's clock, or until the run is cancelled.
 * Workers only: the main thread cannot wait.
 */
export function sleepUntil(control: Int32Array, now: () => number, untilMs: number): void {
  for (let left = untilMs - now(); left > 0; left = untilMs - now()) {
    if (Atomics.wait(control, CANCEL, 0, left) === 'not-equal') return;
  }
}
