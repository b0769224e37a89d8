import type { LaneInfo, Segment, ThreadState, TimelineEvent } from '../../runtime/index.ts';

/**
 * What the timeline canvas draws, kept apart from the drawing so it can be tested in Node: each
 * lane's spans, the GIL hand-offs, and the window a "whole run" view covers. Events arrive the way
 * the canvas gets them: one lane at a time, in partial batches while a run is polled live, each
 * lane's events in order but lanes interleaved arbitrarily. Everything here stays correct under
 * that: a hand-off is decided by the global event order (`seq`), not by arrival order.
 */

/**
 * One state of one lane from `start` (the runtime's Segment, as much of it as drawing needs);
 * `end` is the next event's time (the open segment keeps `start`).
 */
type DrawnSegment = Pick<Segment, 'state' | 'start' | 'end'>;

/** A GIL hand-off: `lane` took a lock that another lane held last, at time `t`. */
export interface Handoff {
  lane: number;
  t: number;
  seq: number;
}

/** The time range a "whole run" view covers, on the run's clock (ms). */
export interface RunWindow {
  from: number;
  to: number;
}

/** States in which a worker is doing (or waiting to do) the run's work. */
const WORK: ReadonlySet<ThreadState> = new Set(['running', 'waiting', 'io', 'native', 'blocked']);

interface Acquisition extends Handoff {
  /** True when the previous acquisition of the same lock (in seq order) was by another lane. */
  handoff: boolean;
}

/**
 * GIL hand-offs, found incrementally: per lock, every acquisition (a lane entering `running`) kept
 * sorted by `seq`; an acquisition is a hand-off when the one just before it was by another lane.
 * An acquisition that arrives late (its lane was polled after a later one of another lane) is
 * inserted in its place and only it and its successor are re-decided, so nothing is counted twice
 * and no switch is missed, whatever order the batches come in. Lanes without a lock (free-threaded)
 * have no hand-offs; processes each have their own lock, so they never hand one to another.
 */
export class HandoffTracker {
  readonly #lockOf: (number | null)[];
  readonly #byLock = new Map<number, Acquisition[]>();
  #count = 0;

  constructor(lanes: readonly LaneInfo[]) {
    this.#lockOf = [];
    for (const info of lanes) this.#lockOf[info.lane] = info.lock;
  }

  /** Hand-offs found so far. */
  get count(): number {
    return this.#count;
  }

  /** Takes newly polled events of one lane (in order; any batch size). */
  add(lane: number, events: readonly TimelineEvent[]): void {
    const lock = this.#lockOf[lane];
    if (lock === null || lock === undefined) return;
    let list = this.#byLock.get(lock);
    if (!list) this.#byLock.set(lock, (list = []));
    for (const e of events) if (e.state === 'running') this.#insert(list, lane, e);
  }

  #insert(list: Acquisition[], lane: number, e: TimelineEvent): void {
    // Binary search for the first acquisition with a larger seq (usually the end of the list).
    let lo = 0;
    let hi = list.length;
    if (hi > 0 && list[hi - 1]!.seq < e.seq) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.seq < e.seq) lo = mid + 1;
      else hi = mid;
    }
    if (list[lo]?.seq === e.seq) return; // the same event delivered twice
    const previous = list[lo - 1];
    const acq: Acquisition = {
      lane,
      t: e.t,
      seq: e.seq,
      handoff: previous !== undefined && previous.lane !== lane,
    };
    if (acq.handoff) this.#count++;
    const next = list[lo];
    if (next) {
      const handoff = next.lane !== lane;
      if (handoff !== next.handoff) this.#count += handoff ? 1 : -1;
      next.handoff = handoff;
    }
    list.splice(lo, 0, acq);
  }

  /** Every hand-off found so far, per lock in seq order. */
  *marks(): Generator<Handoff> {
    for (const list of this.#byLock.values())
      for (const a of list) if (a.handoff) yield { lane: a.lane, t: a.t, seq: a.seq };
  }
}

/**
 * A run's timeline as the canvas draws it: spans per lane, hand-offs, and the "whole run" window.
 * The window starts where the run's work starts (the first event that is not idle or starting:
 * a worker's boot or JIT warm-up before it is not part of wall time), or, in a process pool with
 * its parent on a lane of its own, where the parent starts the processes (that start-up is inside
 * wall time, as in CPython, and drawn as `starting`), and ends where the last work ends (or now,
 * while the run is live): about the run's wall time.
 */
export class TimelineModel {
  lanes: LaneInfo[] = [];
  spans: DrawnSegment[][] = [];
  handoffs = new HandoffTracker([]);
  /** Whether `starting` is part of the run (a process pool's parent starts its processes). */
  startupInWall = false;
  #first = Infinity;
  #firstStart = Infinity;
  #firstWork = Infinity;
  #lastWorkEnd = -Infinity;

  /** Starts a new run. */
  reset(lanes: readonly LaneInfo[]): void {
    this.lanes = [...lanes];
    this.spans = lanes.map(() => []);
    this.handoffs = new HandoffTracker(lanes);
    this.startupInWall = lanes.some((l) => l.kind === 'parent');
    this.#first = Infinity;
    this.#firstStart = Infinity;
    this.#firstWork = Infinity;
    this.#lastWorkEnd = -Infinity;
  }

  /** Appends newly polled events of one lane (in order; any batch size, lanes in any order). */
  add(lane: number, events: readonly TimelineEvent[]): void {
    const spans = this.spans[lane];
    if (!spans) return;
    for (const e of events) {
      this.#first = Math.min(this.#first, e.t);
      const open = spans.at(-1);
      if (open) {
        open.end = e.t;
        if (WORK.has(open.state)) this.#lastWorkEnd = Math.max(this.#lastWorkEnd, e.t);
      }
      if (WORK.has(e.state)) this.#firstWork = Math.min(this.#firstWork, e.t);
      if (e.state === 'starting') this.#firstStart = Math.min(this.#firstStart, e.t);
      // A repeated state (waiting again after a switch interval) continues the open span.
      if (open?.state !== e.state) spans.push({ state: e.state, start: e.t, end: e.t });
    }
    this.handoffs.add(lane, events);
  }

  /** Where the run starts: its first work, or its counted start-up before that; Infinity: not yet. */
  get #from(): number {
    return this.startupInWall ? Math.min(this.#firstStart, this.#firstWork) : this.#firstWork;
  }

  /** True once the run has started (some lane works, or a pool's parent starts its processes). */
  get started(): boolean {
    return Number.isFinite(this.#from);
  }

  /**
   * The whole-run window. `endMs` is the snapshot's end (final) or the clock now (live); `live`
   * keeps the window growing to now, otherwise it ends where the last work ended.
   */
  window(endMs: number, live: boolean): RunWindow {
    if (!this.started) {
      // Nothing but start-up yet (or an empty run): show what there is.
      const from = Number.isFinite(this.#first) ? Math.min(this.#first, endMs) : endMs;
      return { from, to: Math.max(from, endMs) };
    }
    const from = this.#from;
    const open = this.spans.some((spans) => {
      const last = spans.at(-1);
      return last !== undefined && WORK.has(last.state);
    });
    const to = live || open || !Number.isFinite(this.#lastWorkEnd) ? endMs : this.#lastWorkEnd;
    return { from, to: Math.max(from, to) };
  }
}
