/**
 * The ticker's decisions (control.ts), on synthetic states: when it raises a drop request, and
 * that a signal lost in the interrupt buffer is raised again instead of ending all switching.
 */
import { describe, expect, it } from 'vitest';
import {
  INTERRUPT,
  NATIVE_AT,
  NATIVE_DONE,
  RAISED_AT,
  RAISE_AGAIN_MS,
  READY,
  REQUESTED,
  RUNNING,
  SIGINT,
  SIGUSR1,
  STOP,
  STOP_AGAIN_MS,
  STOP_ASKED,
  STOP_SEEN,
  WAIT_FROM,
  createGreenControl,
  intervalUs,
  tick,
} from '../../../../../src/runtime/python/green/control.ts';

/** A run whose thread holds the GIL while another has waited since `since` (ms). */
function holderWithWaiter(intervalMs: number, since: number) {
  const c = createGreenControl(intervalMs);
  Atomics.store(c.words, RUNNING, 1);
  Atomics.store(c.words, READY, 1);
  c.times[WAIT_FROM] = since;
  return c;
}

/** What CPython's Emscripten helper does when it reads the buffer: `r = b[0]; b[0] = 0`. */
function consume(c: ReturnType<typeof createGreenControl>): number {
  const r = c.words[INTERRUPT]!;
  c.words[INTERRUPT] = 0;
  return r;
}

describe('the green ticker', () => {
  it('raises a drop request once a waiter has waited one switch interval, not before', () => {
    const c = holderWithWaiter(5, 1000);
    expect(tick(c, 1004)).toBeCloseTo(1);
    expect(c.words[INTERRUPT]).toBe(0);
    tick(c, 1005);
    expect(c.words[INTERRUPT]).toBe(SIGUSR1);
    expect(c.words[REQUESTED]).toBe(1);
  });

  it('a finished native call wants the GIL back like a waiter: a drop request one interval later', () => {
    const c = createGreenControl(5);
    Atomics.store(c.words, RUNNING, 1);
    tick(c, 1000);
    expect(c.words[INTERRUPT]).toBe(0); // no waiter, no finished native call
    Atomics.store(c.words, NATIVE_DONE, 1);
    c.times[NATIVE_AT] = 1000;
    tick(c, 1004);
    expect(c.words[INTERRUPT]).toBe(0);
    tick(c, 1005);
    expect(c.words[INTERRUPT]).toBe(SIGUSR1);
  });

  it('raises it again when the signal was lost between the read and the clear of the buffer', () => {
    const c = holderWithWaiter(5, 1000);
    tick(c, 1005);
    // The worker read 0 a moment before the ticker wrote SIGUSR1, then cleared the buffer:
    // the request is gone, and no handler ran to say it was served (REQUESTED stays 1).
    consume(c);
    tick(c, 1006);
    expect(c.words[INTERRUPT]).toBe(0); // not at once: the handler may still be on its way
    tick(c, 1005 + Math.max(5, RAISE_AGAIN_MS));
    expect(c.words[INTERRUPT]).toBe(SIGUSR1);
  });

  it('keeps a raised request that is still in the buffer (no second write)', () => {
    const c = holderWithWaiter(1, 1000);
    tick(c, 1001);
    c.words[INTERRUPT] = 12; // pretend another signal replaced it: the CAS must not overwrite
    tick(c, 1010);
    expect(c.words[INTERRUPT]).toBe(12);
  });

  it('raises nothing while no thread runs Python', () => {
    const c = holderWithWaiter(1, 1000);
    Atomics.store(c.words, RUNNING, 0);
    tick(c, 5000);
    expect(c.words[INTERRUPT]).toBe(0);
  });

  it("raises Stop's SIGINT again until the worker has seen it, and then no more", () => {
    const c = holderWithWaiter(5, 1000);
    Atomics.store(c.words, STOP, STOP_ASKED);
    c.times[RAISED_AT] = 2000; // the page raised SIGINT at 2000, and it was lost
    tick(c, 2000 + STOP_AGAIN_MS - 1);
    expect(c.words[INTERRUPT]).toBe(0);
    tick(c, 2000 + STOP_AGAIN_MS);
    expect(c.words[INTERRUPT]).toBe(SIGINT);
    consume(c);
    Atomics.store(c.words, STOP, STOP_SEEN);
    tick(c, 5000);
    expect(c.words[INTERRUPT]).not.toBe(SIGINT);
  });

  it('stores switch intervals as whole µs in an Int32: clamped, never 0 or negative', () => {
    expect(intervalUs(0.005)).toBe(5000);
    expect(intervalUs(1e-9)).toBe(1);
    expect(intervalUs(1e9)).toBe(2 ** 31 - 1);
    expect(intervalUs(Number.NaN)).toBe(2 ** 31 - 1);
  });
});
