import { describe, expect, it } from 'vitest';
import { CANCEL, PARENT_FREE_US, createControl } from '../../../../src/runtime/core/control.ts';
import { bookParent, sleepUntil } from '../../../../src/runtime/experiments/parent-model.ts';

describe('the modelled parent of a process pool', () => {
  it('sends one task at a time: bookings made at the same moment queue up behind each other', () => {
    const control = createControl(2, 5);
    expect(bookParent(control, 10, 0.2)).toBeCloseTo(10.2, 6);
    expect(bookParent(control, 10, 0.2)).toBeCloseTo(10.4, 6);
    expect(bookParent(control, 10.1, 0.2)).toBeCloseTo(10.6, 6);
  });

  it('starts a booking from now when the parent has been idle', () => {
    const control = createControl(2, 5);
    bookParent(control, 1, 0.2);
    expect(bookParent(control, 50, 0.2)).toBeCloseTo(50.2, 6);
    expect(Atomics.load(control, PARENT_FREE_US)).toBe(50_200);
  });

  it('books at least a microsecond, so a tiny cost still orders tasks', () => {
    const control = createControl(1, 5);
    expect(bookParent(control, 0, 0.0001)).toBe(0.001);
    expect(bookParent(control, 0, 0.0001)).toBe(0.002);
  });

  it('lives in its own word: GIL regions and the cancel flag are untouched', () => {
    const control = createControl(2, 5);
    const before = Array.from(control);
    bookParent(control, 3, 0.5);
    const changed = Array.from(control)
      .map((v, i) => (v === before[i] ? -1 : i))
      .filter((i) => i >= 0);
    expect(changed).toEqual([PARENT_FREE_US]);
  });

  it('stops sleeping at once when the run is cancelled', () => {
    const control = createControl(1, 5);
    Atomics.store(control, CANCEL, 1);
    let t = 0;
    // An hour away: only the cancel flag can end this sleep (else the test times out).
    sleepUntil(control, () => t++, 3_600_000);
    expect(t).toBeLessThan(3);
  });

  it('does not sleep when the booking has already ended', () => {
    const control = createControl(1, 5);
    sleepUntil(control, () => 100, 99);
  });
});
