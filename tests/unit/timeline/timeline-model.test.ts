import { describe, expect, it } from 'vitest';
import type { LaneInfo, ThreadState, TimelineEvent } from '../../../src/runtime/index.ts';
import { HandoffTracker, TimelineModel } from '../../../src/components/timeline/timeline-model.ts';

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

  it("starts a process pool's run where its parent starts the processes, inside wall time", () => {
    // The browser's worker creation and JIT warm-up end at 638.9 and 641.4 (idle, before the
    // clock); at 641.5 the clock starts: the parent (its own lane) starts Process-1 (up at
    // 645.3) and Process-2 (up at 649.1), each process `starting` until then; then it sends.
    const procs = [
      lane(0, 0, 'process'),
      lane(1, 1, 'process'),
      { lane: 2, label: 'MainProcess', kind: 'parent' as const, lock: null },
    ];
    const ev = (t: number, seq: number, state: ThreadState): TimelineEvent => ({
      t,
      seq,
      state,
      task: null,
    });
    const p1 = [
      ev(638.9, 1, 'idle'),
      ev(641.6, 4, 'starting'),
      ev(645.3, 6, 'idle'),
      ev(645.9, 8, 'running'),
      ev(968, 10, 'idle'),
      ev(1000.2, 13, 'done'),
    ];
    const p2 = [
      ev(641.4, 2, 'idle'),
      ev(641.7, 5, 'starting'),
      ev(649.1, 7, 'idle'),
      ev(649.5, 9, 'running'),
      ev(999.4, 11, 'idle'),
      ev(1000.1, 12, 'done'),
    ];
    const parent = [ev(641.5, 3, 'starting'), ev(649.1, 7.5, 'running'), ev(650, 9.5, 'idle')];
    const model = new TimelineModel();
    model.reset(procs);
    expect(model.startupInWall).toBe(true);
    model.add(0, p1);
    model.add(2, parent);
    model.add(1, p2);
    // From the parent's first start-up to the last result: about the wall time, none of the warm-up.
    expect(model.window(1000.7, false)).toEqual({ from: 641.5, to: 999.4 });
    // Live, the start-up shows as soon as the parent begins it.
    const live = new TimelineModel();
    live.reset(procs);
    live.add(2, parent.slice(0, 1));
    live.add(0, p1.slice(0, 2));
    expect(live.started).toBe(true);
    expect(live.window(643, true)).toEqual({ from: 641.5, to: 643 });

    // Without a parent lane (Run Python's processes, which boot before the program's clock), the
    // view starts where the work starts.
    const bare = new TimelineModel();
    bare.reset(procs.slice(0, 2));
    expect(bare.startupInWall).toBe(false);
    bare.add(0, p1);
    bare.add(1, p2);
    expect(bare.window(1000.7, false)).toEqual({ from: 645.9, to: 999.4 });
  });
});
