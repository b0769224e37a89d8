/**
 * When the eval-loop warm-up says the optimised code is in (warmth.ts), on synthetic probe
 * series shaped like Chromium's (baseline code 3–5x slower, then a fall), with the noise of a
 * busy machine (preempted probes only ever take longer); and which programs wait for it.
 */
import { describe, expect, it } from 'vitest';
import {
  CAP_MS,
  EvalLoopWarmth,
  NO_FALL_MS,
  PLATEAU_MS,
  timesItself,
} from '../../../../../src/runtime/python/green/warmth.ts';

/** Feeds `probes` (ms each) in slices of 10 probes, each probe taking `every` ms of probing. */
function feed(w: EvalLoopWarmth, probes: number[], every = 8): number {
  for (let i = 0; i < probes.length; i += 10) {
    const slice = probes.slice(i, i + 10);
    w.add(slice, slice.length * every);
    if (w.done) return i + slice.length;
  }
  return probes.length;
}

/** A deterministic "random" number in [0, 1) for probe i. */
const jitter = (i: number): number => ((i * 7919) % 101) / 101;

describe('EvalLoopWarmth', () => {
  it('waits for the fall, then for the fall to hold', () => {
    const w = new EvalLoopWarmth();
    // 1.5 s of baseline code (8 ms a probe), then optimised (2 ms a probe).
    const probes = Array.from({ length: 600 }, (_, i) => (i < 190 ? 8 : 2) + jitter(i) * 0.2);
    const used = feed(w, probes);
    expect(w.done).toBe(true);
    expect(w.reason).toBe('settled');
    expect(w.fall).toBeGreaterThan(3);
    // Not before the fall, and not long after it held for PLATEAU_MS.
    expect(used).toBeGreaterThan(190 + PLATEAU_MS / 8 - 10);
    expect(used).toBeLessThan(190 + PLATEAU_MS / 8 + 20);
  });

  it('is not fooled by a busy machine: preempted probes do not count as a fall or a hold', () => {
    const w = new EvalLoopWarmth();
    // Baseline code for 2 s, every third probe preempted (x4), then optimised code with the same.
    const probes = Array.from({ length: 800 }, (_, i) => {
      const base = i < 250 ? 8 : 2;
      return i % 3 === 0 ? base * 4 : base + jitter(i);
    });
    const used = feed(w, probes);
    expect(w.reason).toBe('settled');
    expect(used).toBeGreaterThan(250);
  });

  it('without a fall (optimised from the start), settles after NO_FALL_MS of probing', () => {
    const w = new EvalLoopWarmth();
    const used = feed(
      w,
      Array.from({ length: 1000 }, (_, i) => 2 + jitter(i) * 0.1),
      8,
    );
    expect(w.reason).toBe('settled');
    expect(w.fall).toBeLessThan(1.2);
    expect(used * 8).toBeGreaterThanOrEqual(NO_FALL_MS);
    expect(used * 8).toBeLessThan(NO_FALL_MS + 200);
  });

  it('a deopt (slow again) restarts the wait: settles only once the fast code holds', () => {
    const w = new EvalLoopWarmth();
    // Baseline 1 s, optimised 0.4 s, thrown away (baseline again) 1 s, optimised for good.
    const probes = Array.from({ length: 800 }, (_, i) =>
      i < 125 || (i >= 175 && i < 300) ? 8 : 2,
    );
    const used = feed(w, probes);
    expect(w.reason).toBe('settled');
    expect(used).toBeGreaterThan(300 + PLATEAU_MS / 8 - 10);
    expect(used).toBeLessThan(300 + PLATEAU_MS / 8 + 20);
  });

  it('never waits longer than CAP_MS of probing', () => {
    const w = new EvalLoopWarmth();
    // Fast and slow by turns, never holding: warms until the cap.
    const used = feed(
      w,
      Array.from({ length: 4000 }, (_, i) => (Math.floor(i / 60) % 2 === 0 ? 8 : 2)),
      8,
    );
    expect(w.reason).toBe('cap');
    expect(used * 8).toBeGreaterThanOrEqual(CAP_MS - 80);
  });

  it('gives up at once when the interpreter could not be warmed', () => {
    const w = new EvalLoopWarmth();
    w.giveUp();
    expect(w.done).toBe(true);
    expect(w.reason).toBe('failed');
  });
});

describe('timesItself', () => {
  it('finds a program that reads a clock', () => {
    expect(timesItself('import time\nstart = time.perf_counter()')).toBe(true);
    expect(timesItself('from time import perf_counter')).toBe(true);
    expect(timesItself('import time\nt = time.time()')).toBe(true);
    expect(timesItself('import timeit\ntimeit.timeit("1+1")')).toBe(true);
    expect(timesItself('t = time.monotonic()')).toBe(true);
  });

  it('lets other programs start at once', () => {
    expect(timesItself('print("hello")')).toBe(false);
    expect(timesItself('import time\ntime.sleep(0.1)\nprint("done")')).toBe(false);
    expect(timesItself('import threading\nthreading.Thread(target=print).start()')).toBe(false);
  });
});
