/**
 * time.process_time() in the green engine (scheduler.ts): the CPU time of the program is the time
 * its stacks really ran Python plus its native calls' work, never the engine's hops between
 * stacks (handing the GIL over, starting or resuming a stack), which a busy machine stretches.
 * A fake clock makes every stretch exact: behaviour, not speed.
 */
import { describe, expect, it } from 'vitest';
import {
  NATIVE_DONE,
  createGreenControl,
} from '../../../../../src/runtime/python/green/control.ts';
import {
  GreenScheduler,
  type PyCallable,
} from '../../../../../src/runtime/python/green/scheduler.ts';

/** A scheduler on a clock the test moves by hand (ms). */
function fakeRun() {
  const clock = { t: 1000 };
  const control = createGreenControl(5);
  const s = new GreenScheduler(control, {
    now: () => clock.t,
    record: () => undefined,
    onThread: () => undefined,
    onDeadlock: () => undefined,
    onSwitch: () => undefined,
  });
  return { s, clock, control };
}

/** A thread's body as the scheduler gets it from Python. */
const body = (run: () => Promise<void>): PyCallable => ({
  callPromising: run,
  destroy: () => undefined,
});

describe('time.process_time() in the green engine', () => {
  it('counts the time stacks ran Python, not the hops between them (start, hand-over, resume)', async () => {
    const { s, clock } = fakeRun();
    let cpu = NaN;
    let workerCpu = NaN;
    await s.runMain(async () => {
      // The event-loop turn that starts the main stack: not the program computing.
      clock.t += 20;
      s.cpuStart(0);
      clock.t += 2; // main computes 2 ms, starts a thread and joins it
      const tid = s.newThread();
      s.spawn(
        tid,
        body(async () => {
          clock.t += 50; // starting the thread's stack (a busy machine makes this long)
          s.cpuStart(tid);
          clock.t += 1; // the thread computes 1 ms, then wakes the main thread and ends
          s.wake(0, 7);
          workerCpu = s.threadTime(tid);
          s.cpuStop(tid);
          clock.t += 30; // its stack unwinding back to the event loop
        }),
        false,
      );
      await s.block(0, -1, 'blocked', 'join', 7);
      clock.t += 40; // resuming the main stack after its wait
      s.cpuStart(0);
      clock.t += 1;
      cpu = s.processTime();
      s.cpuStop(0);
    });
    // 2 + 1 + 1 ms computed in 144 ms of wall time, every thread holding the GIL all along.
    expect(cpu).toBeCloseTo(0.004, 9);
    expect(workerCpu).toBeCloseTo(0.001, 9);
  });

  it('counts no time while every thread waits', async () => {
    const { s, clock } = fakeRun();
    let cpu = NaN;
    await s.runMain(async () => {
      s.cpuStart(0);
      clock.t += 3;
      // A sleep: the stack suspends; the wait ends 300 ms later (a timer; 0 ms real here).
      const waited = s.block(0, 0, 'io', '', 0);
      clock.t += 300;
      await waited;
      clock.t += 25; // the resume's event-loop turn
      s.cpuStart(0);
      clock.t += 1;
      cpu = s.processTime();
      s.cpuStop(0);
    });
    expect(cpu).toBeCloseTo(0.004, 9);
  });

  it("counts a native call's work in its worker as CPU time, beside the caller's Python", async () => {
    const { s, clock, control } = fakeRun();
    let cpu = NaN;
    await s.runMain(async () => {
      s.cpuStart(0);
      clock.t += 2;
      // hashlib without the GIL: 80 ms of hashing in a native worker (its reply says so).
      const done = s.native(0, async () => {
        await Promise.resolve(); // the call runs in another worker, after the caller let go
        clock.t += 80;
        Atomics.add(control.words, NATIVE_DONE, 1); // what the native worker does when it is done
        return { ms: 80, doneAt: clock.t };
      });
      await done;
      s.cpuStart(0);
      clock.t += 1;
      cpu = s.processTime();
      s.cpuStop(0);
    });
    expect(cpu).toBeCloseTo(0.083, 9);
  });
});
