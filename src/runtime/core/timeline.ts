/**
 * The timeline: every thread appends its state transitions to its own lane in one SharedArrayBuffer;
 * the main thread reads lanes at any time without blocking (the write index is published with
 * Atomics.store after the event's fields, so a reader never sees a half-written event).
 *
 * Time base: ms since an epoch the main thread picks when the run is created, expressed as
 * `performance.timeOrigin + performance.now()` there. Each thread converts with one constant offset
 * (its own timeOrigin minus the epoch), so every lane shares one clock at sub-µs precision; a
 * global Atomics sequence number on each event gives an exact order regardless of clock jitter.
 */

/** States a thread can be in, in the order used in shared memory. */
export const THREAD_STATES = [
  'idle',
  'starting',
  'running',
  'waiting',
  'io',
  'native',
  'blocked',
  'done',
] as const;
/** What a thread is doing: `waiting` = for the GIL, `blocked` = on a threading.Lock. */
export type ThreadState = (typeof THREAD_STATES)[number];
/** State codes by name. */
export const STATE = Object.fromEntries(THREAD_STATES.map((s, i) => [s, i])) as Record<
  ThreadState,
  number
>;

/** One recorded transition: from time `t` (ms since epoch) the thread is in `state`. */
export interface TimelineEvent {
  t: number;
  /** Global order across all threads (exact, unlike clocks). */
  seq: number;
  state: ThreadState;
  /** Index of the task being worked on, or null between tasks. */
  task: number | null;
}

/** Static description of one lane. */
export interface LaneInfo {
  lane: number;
  /** "Thread-1", "Process-2", "MainThread", "MainProcess" … */
  label: string;
  /** `parent`: a process pool's parent process, which starts the processes and sends the tasks. */
  kind: 'thread' | 'process' | 'parent';
  /** Which GIL region this lane uses, null when free-threaded. */
  lock: number | null;
}

/** A JSON-friendly copy of a timeline: what the UI draws and what "recorded timeline" files hold. */
export interface TimelineSnapshot {
  version: 1;
  /** ms since epoch when the snapshot was taken (or the run ended). */
  endMs: number;
  lanes: (LaneInfo & {
    events: TimelineEvent[];
    dropped: number;
    totalsMs: Record<ThreadState, number>;
  })[];
  /** True if some lane ran out of capacity (its later events were dropped, totals stay exact). */
  truncated: boolean;
}

/** Everything a thread needs to find the shared timeline (structured-clone friendly). */
export interface TimelineDescriptor {
  buffer: SharedArrayBuffer;
  lanes: number;
  capacity: number;
  /** performance.timeOrigin + performance.now() on the main thread when the run was created. */
  epoch: number;
}

const HEADER_WORDS = 16;
const NSTATES = THREAD_STATES.length;

function views(d: TimelineDescriptor) {
  const n = d.lanes;
  const cap = d.capacity;
  const header = new Int32Array(d.buffer, 0, n * HEADER_WORDS);
  const totals = new Float64Array(d.buffer, n * 64, n * NSTATES);
  const times = new Float64Array(d.buffer, n * 128, n * cap);
  const seqs = new Int32Array(d.buffer, n * 128 + n * cap * 8, n * cap);
  const metas = new Int32Array(d.buffer, n * 128 + n * cap * 12, n * cap);
  return { header, totals, times, seqs, metas };
}

/** Allocates a timeline for `lanes` threads of `capacity` events each. */
export function createTimeline(lanes: number, capacity: number): TimelineDescriptor {
  const buffer = new SharedArrayBuffer(lanes * 128 + lanes * capacity * 16);
  return { buffer, lanes, capacity, epoch: performance.timeOrigin + performance.now() };
}

/** A clock on the run's time base: ms since the descriptor's epoch, valid in any thread. */
export function clockFor(epoch: number): () => number {
  const offset = performance.timeOrigin - epoch;
  return () => performance.now() + offset;
}

/** Worker side: appends one lane's transitions. Costs two stores and one Atomics.add per event. */
export class TimelineWriter {
  readonly #v: ReturnType<typeof views>;
  readonly #lane: number;
  readonly #cap: number;
  readonly #now: () => number;
  readonly #seq: () => number;
  #count = 0;
  #state = -1;
  #since = 0;

  /** `nextSeq` returns a fresh global sequence number (an Atomics.add on the control block). */
  constructor(d: TimelineDescriptor, lane: number, now: () => number, nextSeq: () => number) {
    this.#v = views(d);
    this.#lane = lane;
    this.#cap = d.capacity;
    this.#now = now;
    this.#seq = nextSeq;
  }

  /** Records that from now (or from `at`) this thread is in `state`, working on `task` (-1: none). */
  record(state: number, task: number, at?: number): void {
    const t = at ?? this.#now();
    const seq = this.#seq();
    const v = this.#v;
    const lane = this.#lane;
    if (this.#state >= 0) v.totals[lane * NSTATES + this.#state]! += t - this.#since;
    this.#state = state;
    this.#since = t;
    const i = this.#count;
    // The last slot is kept for `done` so a full lane still ends cleanly.
    if (i < this.#cap - 1 || (i === this.#cap - 1 && state === STATE.done)) {
      const k = lane * this.#cap + i;
      v.times[k] = t;
      v.seqs[k] = seq;
      v.metas[k] = state | ((task + 1) << 3);
      this.#count = i + 1;
      Atomics.store(v.header, lane * HEADER_WORDS, i + 1);
    } else {
      Atomics.add(v.header, lane * HEADER_WORDS + 1, 1);
    }
  }
}

/** Main side: reads lanes while threads write them; never blocks. */
export class TimelineReader {
  readonly lanes: readonly LaneInfo[];
  readonly epoch: number;
  /** Current time on the run's clock, ms since epoch. */
  readonly now: () => number;
  readonly #d: TimelineDescriptor;
  readonly #v: ReturnType<typeof views>;
  readonly #read: number[];
  #endMs: number | null = null;

  constructor(d: TimelineDescriptor, lanes: LaneInfo[]) {
    this.#d = d;
    this.#v = views(d);
    this.lanes = lanes;
    this.epoch = d.epoch;
    this.now = clockFor(d.epoch);
    this.#read = lanes.map(() => 0);
  }

  /** Freezes `endMs` of later snapshots (called when the run finishes). */
  end(atMs: number): void {
    this.#endMs = atMs;
  }

  /** Events of `lane` from index `from` to what is published now. */
  events(lane: number, from = 0): TimelineEvent[] {
    const v = this.#v;
    const n = Atomics.load(v.header, lane * HEADER_WORDS);
    const out: TimelineEvent[] = [];
    for (let i = from; i < n; i++) {
      const k = lane * this.#d.capacity + i;
      const meta = v.metas[k]!;
      out.push({
        t: v.times[k]!,
        seq: v.seqs[k]!,
        state: THREAD_STATES[meta & 7]!,
        task: (meta >> 3) - 1 < 0 ? null : (meta >> 3) - 1,
      });
    }
    return out;
  }

  /** New events per lane since the previous poll: cheap enough to call every animation frame. */
  poll(): { lane: number; events: TimelineEvent[] }[] {
    return this.lanes.map(({ lane }) => {
      const events = this.events(lane, this.#read[lane]);
      this.#read[lane] = (this.#read[lane] ?? 0) + events.length;
      return { lane, events };
    });
  }

  /** Time spent in each state per lane so far (exact even when events were dropped). */
  totals(lane: number): Record<ThreadState, number> {
    const out = {} as Record<ThreadState, number>;
    THREAD_STATES.forEach((s, i) => (out[s] = this.#v.totals[lane * NSTATES + i] ?? 0));
    return out;
  }

  /** A full JSON-friendly copy of the timeline so far. */
  snapshot(): TimelineSnapshot {
    const lanes = this.lanes.map((info) => ({
      ...info,
      events: this.events(info.lane),
      dropped: Atomics.load(this.#v.header, info.lane * HEADER_WORDS + 1),
      totalsMs: this.totals(info.lane),
    }));
    return {
      version: 1,
      endMs: this.#endMs ?? this.now(),
      lanes,
      truncated: lanes.some((l) => l.dropped > 0),
    };
  }
}

/** A span of one state, for drawing and statistics. */
export interface Segment {
  state: ThreadState;
  task: number | null;
  start: number;
  end: number;
  seqStart: number;
  /** seq of the event that ended the span (Infinity if still open). */
  seqEnd: number;
}

/** Turns a lane's events into spans; the last span ends at `endMs`. */
export function toSegments(events: readonly TimelineEvent[], endMs: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const next = events[i + 1];
    out.push({
      state: e.state,
      task: e.task,
      start: e.t,
      end: next ? next.t : Math.max(e.t, endMs),
      seqStart: e.seq,
      seqEnd: next ? next.seq : Infinity,
    });
  }
  return out;
}
