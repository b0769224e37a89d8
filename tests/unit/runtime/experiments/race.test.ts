import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfigInput, ThreadMode } from '../../../../src/runtime/index.ts';
import { CORES, nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
// ~120 ms of `counter += 1` per thread: long enough that both threads overlap on a noisy machine.
let increments = 0;

beforeAll(async () => {
  increments = (await runtime.calibrate({ name: 'race', callBetween: true }, 120)).size;
});
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
});

function race(mode: ThreadMode, callBetween: boolean, useLock: boolean) {
  const config: RunConfigInput = {
    mode,
    workers: 2,
    switchIntervalMs: 0.5,
    workload: { name: 'race', size: increments, callBetween, useLock },
  };
  return runtime.runExperiment(config).result;
}

describe('the race workload (counter += 1 on shared memory)', () => {
  it('loses updates under the GIL when a call sits between read and write', async () => {
    const r = await race('gil', true, false);
    expect(r.race!.expected).toBe(2 * increments);
    expect(r.race!.lost).toBeGreaterThan(0);
    expect(r.race!.actual).toBeLessThan(r.race!.expected);
  });

  it('loses none under the GIL when the switch can only land at a back-edge (CPython 3.11)', async () => {
    const r = await race('gil', false, false);
    expect(r.switches).toBeGreaterThan(0);
    expect(r.race).toEqual({ expected: 2 * increments, actual: 2 * increments, lost: 0 });
  });

  it('never loses one with a threading.Lock, even with the call in between', async () => {
    const r = await race('gil', true, true);
    expect(r.race!.lost).toBe(0);
    expect(r.threads.some((t) => t.blockedMs > 0)).toBe(true);
  });

  it.skipIf(CORES < 2)(
    'loses updates free-threaded even without the call (a real parallel read-modify-write)',
    async () => {
      const r = await race('free-threaded', false, false);
      expect(r.race!.lost).toBeGreaterThan(0);
    },
  );

  it('never loses one free-threaded with a threading.Lock', async () => {
    const r = await race('free-threaded', true, true);
    expect(r.race!.lost).toBe(0);
  });
});
