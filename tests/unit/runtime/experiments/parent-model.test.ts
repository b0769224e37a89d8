import { describe, expect, it } from 'vitest';
import {
  CANCEL,
  PARENT_SENT,
  PARENT_STARTED,
  PARENT_SUBMITTED,
  createControl,
} from '../../../../src/runtime/core/control.ts';
import {
  awaitSent,
  awaitStarted,
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
    const sent = runParent(control, 0, {
      start: () => undefined,
      send: () => sentWhenWorking.push(Atomics.load(control, PARENT_SENT)),
    });
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
    expect(runParent(control, 2, { start: () => work++, send: () => work++ })).toBe(0);
    expect(work).toBe(0);
  });

  it('starts every process, one after another in lane order, before it sends a task', () => {
    const control = createControl(2, 5);
    submitToParent(control);
    closeParent(control);
    const log: string[] = [];
    const sent = runParent(control, 2, {
      start: (i) => log.push(`start ${i} (${Atomics.load(control, PARENT_STARTED)} up)`),
      send: () => log.push(`send (${Atomics.load(control, PARENT_STARTED)} up)`),
      state: (s) => log.push(s),
    });
    expect(sent).toBe(1);
    expect(log).toEqual(['starting', 'start 0 (0 up)', 'start 1 (1 up)', 'sending', 'send (2 up)']);
  });

  it('is drawn waiting only while no submitted task is left to send', () => {
    const control = createControl(1, 5);
    const states: string[] = [];
    const work = {
      start: () => undefined,
      send: () => undefined,
      state: (s: string) => states.push(s),
    };
    // Closed with nothing to start or send: it ends at once, never drawn busy or waiting.
    closeParent(control);
    expect(runParent(control, 0, work)).toBe(0);
    expect(states).toEqual([]);
    // One task submitted after the close was lifted (a fresh control block): sent, then ends.
    const next = createControl(1, 5);
    submitToParent(next);
    submitToParent(next);
    closeParent(next);
    expect(runParent(next, 1, work)).toBe(2);
    expect(states).toEqual(['starting', 'sending']);
  });

  it('lets a process take its first task only once the parent has started it', () => {
    const control = createControl(2, 5);
    Atomics.store(control, PARENT_STARTED, 1);
    awaitStarted(control, 0); // started: returns at once
    Atomics.store(control, CANCEL, 1);
    awaitStarted(control, 1); // not started: only the cancel flag ends this wait
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
    runParent(control, 2, { start: () => undefined, send: () => undefined });
    const changed = Array.from(control)
      .map((v, i) => (v === before[i] ? -1 : i))
      .filter((i) => i >= 0);
    expect(changed).toEqual([PARENT_SUBMITTED, PARENT_SENT, PARENT_STARTED]);
  });
});
