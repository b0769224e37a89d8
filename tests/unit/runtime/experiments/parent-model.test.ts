import { describe, expect, it } from 'vitest';
import {
  CANCEL,
  PARENT_SENT,
  PARENT_SUBMITTED,
  createControl,
} from '../../../../src/runtime/core/control.ts';
import {
  awaitSent,
  closeParent,
  runParent,
  submitToParent,
} from '../../../../src/runtime/experiments/parent-model.ts';

describe('the modelled parent of a process pool', () => {
  it('does the work of every submitted task once, in order, and ends when closed', () => {
    const control = createControl(2, 5);
    for (let i = 0; i < 3; i++) submitToParent(control);
    closeParent(control);
    const sentWhenWorking: number[] = [];
    const sent = runParent(control, () => sentWhenWorking.push(Atomics.load(control, PARENT_SENT)));
    expect(sent).toBe(3);
    // One task at a time: each one's work starts once the one before it has been sent.
    expect(sentWhenWorking).toEqual([0, 1, 2]);
    expect(Atomics.load(control, PARENT_SENT)).toBe(3);
  });

  it('ends at once when the run is cancelled, sending nothing more', () => {
    const control = createControl(1, 5);
    submitToParent(control);
    submitToParent(control);
    Atomics.store(control, CANCEL, 1);
    let work = 0;
    // Never closed: only the cancel flag can end it (else the test times out).
    expect(runParent(control, () => work++)).toBe(0);
    expect(work).toBe(0);
  });

  it('lets a process run task k only once the parent has sent k + 1 tasks', () => {
    const control = createControl(2, 5);
    Atomics.store(control, PARENT_SENT, 2);
    awaitSent(control, 1); // sent: returns at once
    Atomics.store(control, CANCEL, 1);
    awaitSent(control, 5); // not sent: only the cancel flag ends this wait
  });

  it('lives in its own words: GIL regions and the cancel flag are untouched', () => {
    const control = createControl(2, 5);
    const before = Array.from(control);
    submitToParent(control);
    closeParent(control);
    runParent(control, () => undefined);
    const changed = Array.from(control)
      .map((v, i) => (v === before[i] ? -1 : i))
      .filter((i) => i >= 0);
    expect(changed).toEqual([PARENT_SUBMITTED, PARENT_SENT]);
  });
});
