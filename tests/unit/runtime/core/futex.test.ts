import { describe, expect, it } from 'vitest';
import { futexLock, futexTryLock, futexUnlock } from '../../../../src/runtime/core/futex.ts';

const word = () => new Int32Array(new SharedArrayBuffer(4));

describe('the futex mutex both engines’ threading.Lock use', () => {
  it('is taken once, and free again after unlock', () => {
    const w = word();
    expect(futexTryLock(w, 0)).toBe(true);
    expect(futexTryLock(w, 0)).toBe(false);
    expect(futexUnlock(w, 0)).toBe(true);
    expect(futexLock(w, 0, () => false)).toBe('acquired');
  });

  it('says an unlock of a free mutex did nothing (Python raises RuntimeError)', () => {
    expect(futexUnlock(word(), 0)).toBe(false);
  });

  it('gives up a held mutex when the timeout passes, or at once when cancelled', () => {
    const w = word();
    futexTryLock(w, 0);
    expect(futexLock(w, 0, () => false, 20)).toBe('timeout');
    expect(futexLock(w, 0, () => true)).toBe('cancelled');
    // A waiter marked the word "maybe with sleepers": unlocking still frees it.
    expect(futexUnlock(w, 0)).toBe(true);
    expect(Atomics.load(w, 0)).toBe(0);
  });
});
