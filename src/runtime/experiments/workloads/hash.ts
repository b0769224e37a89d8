import type { Workload } from './types.ts';

/** Bytes between eval-breaker checks. */
const CHUNK = 4096;

/** FNV-1a steps over data[from, to): a small function so engines optimise it by call count. */
function fnvChunk(h: number, data: Uint8Array, from: number, to: number): number {
  for (let j = from; j < to; j++) h = Math.imul(h ^ data[j]!, 0x01000193);
  return h;
}

/** FNV-1a over `data`, `passes` times; `onChunk` runs every CHUNK bytes. */
export function fnv1a(data: Uint8Array, passes: number, seed: number, onChunk: () => void): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  const len = data.length;
  for (let p = 0; p < passes; p++) {
    h = Math.imul(h ^ p, 0x01000193);
    for (let i = 0; i < len; i += CHUNK) {
      h = fnvChunk(h, data, i, Math.min(len, i + CHUNK));
      onChunk();
    }
  }
  return h >>> 0;
}

/** Deterministic pseudo-random bytes (xorshift32) for hash inputs. */
export function fillBytes(out: Uint8Array, seed = 0x9e3779b9): Uint8Array {
  let x = seed | 0 || 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A pure-Python-style hash: holds the GIL, checks the eval breaker every few µs. */
export const hash: Workload = {
  calibrationStart: 1,
  run(size, task, interp) {
    if (task.data === null) throw new Error('hash needs an input buffer');
    return fnv1a(task.data, size, task.index, () => interp.tick());
  },
};
