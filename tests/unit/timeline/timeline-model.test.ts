import { describe, expect, it } from 'vitest';
import type { LaneInfo, ThreadState, TimelineEvent } from '../../../src/runtime/index.ts';
import {
  HandoffTracker,
  TimelineModel,
  countedStartup,
} from '../../../src/components/timeline/timeline-model.ts';

const lane = (i: number, lock: number | null, kind: LaneInfo['kind'] = 'thread'): LaneInfo => ({
  lane: i,
  label: `${kind === 'thread' ? 'Thread' : 'Process'}-${i + 1}`,
  kind,
  lock,
});

/**
 * Two threads sharing one GIL the way the runtime records them: warm-up idle, then each thread
 * alternates running and waiting, taking the lock from the other `turns` times. Returns the lanes'
 * events (each lane in order, seq global) and how many times the lock changed hands.
 */
function interleaved(turns: number): { events: TimelineEvent[][]; switches: number } {
  const events: TimelineEvent[][] = [[], []];
  let seq = 0;
  const push = (l: number, t: number, state: ThreadState, task: number | null = l) =>
    events[l]!.push({ t, seq: seq++, state, task });
  push(0, 0, 'idle', null);
  push(1, 600, 'idle', null); // a cold worker's JIT warm-up ended late
  push(0, 610, 'running');
  push(1, 611, 'waiting');
  let holder = 0;
  let t = 615;
  let switches = 0;
  for (let i = 0; i < turns; i++) {
    const other = 1 - holder;
    push(holder, t, 'waiting'); // dropped at a switch interval
    push(other, t + 0.05, 'running');
    switches++;
    // Sometimes the holder does a little I/O and takes the GIL back itself: not a switch.
    if (i % 5 === 0) {
      push(other, t + 1, 'io');
      push(other, t + 1.5, 'running');
    }
    // The waiter's switch interval runs out without a switch: it records "waiting" again.
    if (i % 3 === 1) push(holder, t + 2.5, 'waiting');
    holder = other;
    t += 5;
  }
  push(holder, t, 'idle', null);
  push(1 - holder, t + 0.05, 'running');
  switches++;
  push(1 - holder, t + 2, 'idle', null);
  push(0, t + 3, 'done', null);
  push(1, t + 3, 'done', null);
  return { events, switches };
}

/** Splits each lane's events into `parts` consecutive batches. */
function batches(events: readonly TimelineEvent[], parts: number): TimelineEvent[][] {
  const size = Math.ceil(events.length / parts);
  const out: TimelineEvent[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

const twoThreads = [lane(0, 0), lane(1, 0)];

describe('GIL hand-offs on the timeline', () => {
  const { events, switches } = interleaved(40);

  it('finds every switch when the lanes arrive one after the other (a finished run)', () => {
    const tracker = new HandoffTracker(twoThreads);
    tracker.add(0, events[0]!);
    tracker.add(1, events[1]!);
    expect(tracker.count).toBe(switches);
    expect([...tracker.marks()]).toHaveLength(switches);
    // Each mark is the first running event after the other lane's: a strictly increasing order.
    const seqs = [...tracker.marks()].map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('gives the same marks, once each, when a live run polls partial batches', () => {
    const whole = new HandoffTracker(twoThreads);
    whole.add(0, events[0]!);
    whole.add(1, events[1]!);
    for (const parts of [2, 3, 7, 50]) {
      const tracker = new HandoffTracker(twoThreads);
      const a = batches(events[0]!, parts);
      const b = batches(events[1]!, parts);
      // Each frame polls lane 0 then lane 1, so one side of a switch often arrives a frame late.
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        tracker.add(0, a[i] ?? []);
        tracker.add(1, b[i] ?? []);
      }
      expect(tracker.count).toBe(switches);
      expect([...tracker.marks()]).toEqual([...whole.marks()]);
    }
    // Lane 1 entirely first, then lane 0 in pieces: still the same.
    const reversed = new HandoffTracker(twoThreads);
    reversed.add(1, events[1]!);
    for (const part of batches(events[0]!, 9)) reversed.add(0, part);
    expect([...reversed.marks()]).toEqual([...whole.marks()]);
  });

  it('does not count an event polled twice', () => {
    const tracker = new HandoffTracker(twoThreads);
    tracker.add(0, events[0]!);
    tracker.add(1, events[1]!);
    tracker.add(1, events[1]!.slice(-5));
    expect(tracker.count).toBe(switches);
  });

  it('marks nothing when free-threaded, and nothing between processes (one lock each)', () => {
    const free = new HandoffTracker([lane(0, null), lane(1, null)]);
    free.add(0, events[0]!);
    free.add(1, events[1]!);
    expect(free.count).toBe(0);
    const procs = new HandoffTracker([lane(0, 0, 'process'), lane(1, 1, 'process')]);
    procs.add(0, events[0]!);
    procs.add(1, events[1]!);
    expect(procs.count).toBe(0);
  });

  it('the model keeps the hand-offs too', () => {
    const model = new TimelineModel();
    model.reset(twoThreads);
    for (const part of batches(events[1]!, 4)) model.add(1, part);
    for (const part of batches(events[0]!, 4)) model.add(0, part);
    expect(model.handoffs.count).toBe(switches);
    // One span per state change: no seams between "waiting" and "waiting again".
    for (const spans of model.spans)
      spans.forEach((s, i) => expect(s.state).not.toBe(spans[i - 1]?.state));
  });
});

describe("the whole run's window", () => {
  it('starts at the first work, not at the warm-up idle before it, and ends with the work', () => {
    const { events } = interleaved(10);
    const model = new TimelineModel();
    model.reset(twoThreads);
    model.add(0, events[0]!);
    model.add(1, events[1]!);
    const endMs = 720; // the snapshot ends after the workers were released (done at 668)
    // 10 turns of 5 ms from 615; the last thread goes idle 2 ms after taking the GIL at 665.
    expect(model.window(endMs, false)).toEqual({ from: 610, to: 667 });
    // Live, the window runs to now.
    expect(model.window(endMs, true)).toEqual({ from: 610, to: endMs });
    // While live, the window starts at the first work as soon as it has arrived.
    const live = new TimelineModel();
    live.reset(twoThreads);
    live.add(0, events[0]!.slice(0, 2));
    live.add(1, events[1]!.slice(0, 1));
    expect(live.window(612, true)).toEqual({ from: 610, to: 612 });
  });

  it('before any work, a live run shows its start-up', () => {
    const model = new TimelineModel();
    model.reset([lane(0, 0, 'process')]);
    model.add(0, [{ t: 5, seq: 0, state: 'starting', task: null }]);
    expect(model.started).toBe(false);
    expect(model.window(300, true)).toEqual({ from: 5, to: 300 });
  });

  it('shows the start-up a process pool counts in wall time, not the JIT warm-up', () => {
    // Process-1 and -2 created at 0 (the browser took 24.5 and 29.1 ms), then ~600 ms of
    // warm-up, then CPython's start-up modelled: 2.4 ms per process, one after another.
    const procs = [lane(0, 0, 'process'), lane(1, 1, 'process')];
    const ev = (t: number, seq: number, state: ThreadState): TimelineEvent => ({
      t,
      seq,
      state,
      task: null,
    });
    const p1 = [
      ev(0, 1, 'starting'),
      ev(638.9, 2, 'idle'),
      ev(642, 4, 'running'),
      ev(968, 6, 'idle'),
      ev(1000.2, 9, 'done'),
    ];
    const p2 = [
      ev(0, 0, 'starting'),
      ev(641.4, 3, 'idle'),
      ev(642.6, 5, 'running'),
      ev(999.4, 7, 'idle'),
      ev(1000.1, 8, 'done'),
    ];
    const startup = {
      measuredMs: [24.5, 29.1],
      includedInWall: true,
      modelled: { perProcessMs: 2.4 },
    };
    // Only CPython's modelled start-up counts (the browser's creation of the workers never does),
    // the second process started after the first.
    expect(countedStartup(2, startup)).toEqual([2.4, 4.8]);

    const model = new TimelineModel();
    model.reset(procs, startup);
    model.add(0, p1);
    model.add(1, p2);
    const run = model.window(1000.7, false);
    // From the start-up counted in wall time (drawn right before the work) to the last result.
    expect(run.from).toBeCloseTo(642 - 4.8, 5);
    expect(run.to).toBe(999.4);
    // About the wall time (4.8 ms modelled start-up + 357 ms of work), not 1 s.
    expect(run.to - run.from).toBeGreaterThan(360);
    expect(run.to - run.from).toBeLessThan(364);
    // Each process's own start-up, ending where the work starts; none of the 600 ms warm-up.
    const bar = (l: number) => model.startingBar(l, model.spans[l]![0]!);
    expect(bar(0)!.start).toBeCloseTo(642 - 2.4, 5);
    expect(bar(0)!.end).toBe(642);
    expect(bar(1)!.start).toBeCloseTo(642 - 4.8, 5);

    // Without the result's start-up figures, the view starts where the work starts.
    const bare = new TimelineModel();
    bare.reset(procs);
    bare.add(0, p1);
    bare.add(1, p2);
    expect(bare.window(1000.7, false)).toEqual({ from: 642, to: 999.4 });
    // (Live, before the work starts, the start-up is drawn as it happens.)
    expect(bare.startingBar(0, bare.spans[0]![0]!)).toEqual({ start: 0, end: 638.9 });
    // Thread pools' start-up is not in wall time: nothing is added.
    expect(countedStartup(2, { measuredMs: [], includedInWall: false, modelled: null })).toEqual([
      0, 0,
    ]);
  });
});
