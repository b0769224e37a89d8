import { describe, expect, it } from 'vitest';
import type { Interp } from '../../../../src/runtime/core/interp.ts';
import { countdown } from '../../../../src/runtime/experiments/workloads/countdown.ts';

/** The workload as one plain loop over `n` (what countdown.run must stay equivalent to). */
function reference(size: number): { value: number; ticks: number } {
  let n = size;
  let acc = 0;
  let ticks = 0;
  while (n > 0) {
    const k = n > 2048 ? 2048 : n;
    for (let j = k - 1; j >= 0; j--) acc = (acc + (j & 0xff)) | 0;
    acc = (acc + (n % 256)) | 0; // (added before the chunk in run; the sum wraps the same way)
    n -= k;
    ticks++;
  }
  return { value: acc, ticks };
}

function run(size: number): { value: number; ticks: number } {
  let ticks = 0;
  const interp = { tick: () => void ticks++ } as unknown as Interp;
  const task = { index: 0, count: 1, workload: { name: 'countdown', size }, data: null } as never;
  return { value: countdown.run(size, task, interp), ticks };
}

describe('the countdown workload', () => {
  // Sizes above 2^29 are counted in blocks so the hot loop only ever sees small integers (a heap
  // number there left V8 on slower code for a worker's first contended run); the blocks must not
  // change the checksum or the eval-breaker checks.
  it.each([1, 255, 2048, 2049, 100_000, 2 ** 29, 2 ** 29 + 4097, 2 ** 30 + 10])(
    'size %i: same checksum and eval-breaker checks as one plain loop',
    (size) => {
      expect(run(size)).toEqual(reference(size));
    },
  );
});
