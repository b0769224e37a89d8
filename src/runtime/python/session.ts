/**
 * Page side: one run of a Python program. Owns the run's shared memory and timeline, gives each
 * interpreter a lane, and routes what interpreters ask for while they run: a threading.Thread
 * gets an interpreter of its own, executor tasks queue for their pool's interpreters (thread
 * pools share the program's GIL, each process its own), and results reach a blocked interpreter
 * through its mailbox.
 */
import { CANCEL, cancelAll } from '../control.ts';
import { TimelineReader, createTimeline, type LaneInfo } from '../timeline.ts';
import type { InterpreterPool, PythonWorker } from './interpreters.ts';
import { DELIVERY, createMailbox, encodeError, tryDeliver, type Delivery } from './mailbox.ts';
import {
  FUTURE,
  MAX_INTERPRETERS,
  SIGINT,
  createPythonMemory,
  raiseSignal,
  type PythonMemory,
} from './memory.ts';
import { wakeAllLocks } from './locks.ts';
import type {
  InterpreterReport,
  InterpreterRequest,
  InterpreterRole,
  PythonMode,
  PythonOutcome,
  TaskSpec,
} from './protocol.ts';

/** Events per lane kept in the timeline (about a minute of 5 ms switches). */
const TIMELINE_CAPACITY = 1 << 15;

/** Everything a session needs from the runner. */
export interface SessionOptions {
  pool: InterpreterPool;
  source: string;
  filename: string;
  mode: PythonMode;
  switchIntervalMs: number;
  maxInterpreters: number;
  cpuCount: number;
  onOutput: (o: { lane: number; label: string; stream: 'stdout' | 'stderr'; text: string }) => void;
  onLanes: (reader: TimelineReader) => void;
  onStartup: (started: number, message: string) => void;
}

/** One interpreter in this run. */
export interface Lane {
  info: LaneInfo;
  role: InterpreterRole;
  space: number;
  worker: PythonWorker;
  mailbox: SharedArrayBuffer;
  /** Boot time if the interpreter was started for this run, else 0. */
  startupMs: number;
  busy: boolean;
  /** Executor id it serves, 'thread' while running a threading.Thread, 'joining' until it has joined, or null when free. */
  owner: number | 'thread' | 'joining' | null;
  /** Traceback text if importing the program failed there. */
  importError: string | null;
  outbox: Delivery[];
  pumping: boolean;
  await: { token: number; fids: number[] } | null;
  /** Pending call on the worker (runMain / runTask), for Stop's grace period. */
  call: Promise<unknown> | null;
  report: InterpreterReport | null;
}

interface Task {
  fid: number;
  spec: TaskSpec;
  daemon: boolean;
  done: boolean;
}

interface Pool {
  id: number;
  kind: 'thread' | 'process';
  max: number;
  explicit: boolean;
  prefix: string;
  space: number;
  initializer: Uint8Array | null;
  lanes: Lane[];
  growing: number;
  queue: Task[];
  shutdown: boolean;
  warned: boolean;
}

/** One run, from the main interpreter's start to the last task's end. */
export class PythonSession {
  readonly memory: PythonMemory;
  readonly lanes: Lane[] = [];
  reader: TimelineReader;
  stopped = false;
  /** Stopped because the program ended with daemon threads running (not by the reader). */
  quiet = false;
  readonly #o: SessionOptions;
  readonly #timeline = createTimeline(MAX_INTERPRETERS, TIMELINE_CAPACITY);
  readonly #tasks = new Map<number, Task>();
  readonly #results = new Map<number, { status: number; payload: Uint8Array; seq: number }>();
  readonly #pools = new Map<number, Pool>();
  #reservedLanes = 0;
  #nextSpace = 1;
  #completions = 0;
  #settled: (() => void)[] = [];
  #threadNumber = 0;
  #processNumber = 0;

  constructor(options: SessionOptions) {
    this.#o = options;
    this.memory = createPythonMemory(options.switchIntervalMs);
    this.reader = new TimelineReader(this.#timeline, []);
  }

  /** Runs the program; resolves with the main interpreter's outcome once every task is done. */
  async run(): Promise<{ outcome: PythonOutcome; wallMs: number }> {
    const main = await this.#addLane('main', 0, 'MainThread');
    const t0 = this.reader.now();
    main.call = main.worker.guard(main.worker.api.runMain());
    const outcome = (await main.call.catch((e: unknown) => this.#lost(e))) as PythonOutcome;
    main.call = null;
    await this.#allTasksDone();
    return { outcome, wallMs: this.reader.now() - t0 };
  }

  /** What to report when a worker died or was terminated mid-call. */
  #lost(e: unknown): PythonOutcome {
    const message = this.stopped ? 'Stopped' : e instanceof Error ? e.message : String(e);
    const type = this.stopped ? 'KeyboardInterrupt' : 'WorkerCrashed';
    return { ok: false, error: { type, message, traceback: `${type}: ${message}\n` } };
  }

  // ------------------------------------------------------------------ lanes

  /** Lanes that may still be created (reserved ones count as taken). */
  #room(): number {
    return this.#o.maxInterpreters - this.lanes.length - this.#reservedLanes;
  }

  async #addLane(role: InterpreterRole, space: number, label: string): Promise<Lane> {
    this.#reservedLanes++;
    let worker: PythonWorker;
    let fresh: boolean;
    try {
      ({ worker, fresh } = await this.#o.pool.lease());
    } finally {
      this.#reservedLanes--;
    }
    if (this.stopped) {
      this.#o.pool.giveBack(worker);
      throw new Error('Stopped');
    }
    const index = this.lanes.length;
    const info: LaneInfo = {
      lane: index,
      label,
      kind: role === 'process' ? 'process' : 'thread',
      lock: this.#o.mode === 'gil' ? space : null,
    };
    const lane: Lane = {
      info,
      role,
      space,
      worker,
      mailbox: createMailbox(),
      startupMs: fresh ? worker.bootMs : 0,
      busy: false,
      owner: 'joining',
      importError: null,
      outbox: [],
      pumping: false,
      await: null,
      call: null,
      report: null,
    };
    this.lanes.push(lane);
    this.reader = new TimelineReader(
      this.#timeline,
      this.lanes.map((l) => l.info),
    );
    if (fresh) this.#o.onStartup(this.lanes.length, `Started ${label}`);
    this.#o.onLanes(this.reader);
    worker.onRequest = (r) => this.#onRequest(r);
    const joined = await worker.guard(
      worker.api.join({
        thread: {
          control: this.memory.control,
          timeline: this.#timeline,
          lane: index,
          lock: info.lock,
          data: null,
          createdAt: fresh ? worker.createdAt + performance.timeOrigin - this.reader.epoch : null,
          modelledStartMs: 0,
          warmup: null,
        },
        memory: this.memory,
        mailbox: lane.mailbox,
        lane: index,
        label,
        role,
        space,
        mode: this.#o.mode,
        source: this.#o.source,
        filename: this.#o.filename,
        cpuCount: this.#o.cpuCount,
        maxInterpreters: this.#o.maxInterpreters,
      }),
    );
    if (!joined.ok) lane.importError = joined.error?.traceback ?? 'import failed';
    lane.owner = null;
    return lane;
  }

  // ------------------------------------------------------------------ requests

  #onRequest(r: InterpreterRequest): void {
    const from = this.lanes[r.lane];
    if (from === undefined) return;
    switch (r.kind) {
      case 'output':
        if (!this.stopped || r.stream === 'stderr')
          this.#o.onOutput({
            lane: r.lane,
            label: from.info.label,
            stream: r.stream,
            text: r.text,
          });
        return;
      case 'executor':
        this.#pools.set(r.id, {
          id: r.id,
          kind: r.pool,
          max: r.maxWorkers,
          explicit: r.explicit,
          prefix: r.prefix,
          space: r.pool === 'thread' ? from.space : -1,
          initializer: r.initializer,
          lanes: [],
          growing: 0,
          queue: [],
          shutdown: false,
          warned: false,
        });
        return;
      case 'submit':
        this.#submit(from, r);
        return;
      case 'shutdown': {
        const pool = this.#pools.get(r.executor);
        if (pool) {
          pool.shutdown = true;
          this.#releasePool(pool);
        }
        return;
      }
      case 'await':
        this.#await(from, r.token, r.fids);
        return;
      case 'unawait':
        if (from.await?.token === r.token) from.await = null;
        return;
    }
  }

  #submit(from: Lane, r: Extract<InterpreterRequest, { kind: 'submit' }>): void {
    const pool = r.executor === null ? null : this.#pools.get(r.executor);
    const task: Task = {
      fid: r.fid,
      daemon: r.daemon,
      done: false,
      spec: {
        fid: r.fid,
        kind: r.call,
        payload: r.payload,
        name: r.name,
        executor: pool ? { id: pool.id, initializer: pool.initializer } : null,
      },
    };
    this.#tasks.set(r.fid, task);
    if (pool) {
      pool.queue.push(task);
      this.#pump(pool);
      return;
    }
    // threading.Thread: CPython's start() fails at once if no thread can be made.
    const free = this.#freeThreadLane(from.space);
    if (free === null && this.#room() <= 0) {
      this.#deliver(from, {
        fid: r.fid,
        status: DELIVERY.refused,
        payload: limitText(this.#o.maxInterpreters),
      });
      this.#complete(r.fid, DELIVERY.error, encodeError(limitMessage(this.#o.maxInterpreters)));
      return;
    }
    this.#deliver(from, { fid: r.fid, status: DELIVERY.accepted, payload: new Uint8Array() });
    if (free !== null) {
      free.owner = 'thread';
      void this.#dispatch(free, task);
      return;
    }
    const label = `Thread-${++this.#threadNumber}`;
    this.#newLane(
      'thread',
      from.space,
      label,
      (lane) => {
        lane.owner = 'thread';
        void this.#dispatch(lane, task);
      },
      task,
    );
  }

  /** Creates a lane in the background; on failure the task fails with the reason. */
  #newLane(
    role: InterpreterRole,
    space: number,
    label: string,
    then: (l: Lane) => void,
    task: Task | null,
  ): void {
    void this.#addLane(role, space, label).then(then, (e: unknown) => {
      if (task)
        this.#complete(
          task.fid,
          DELIVERY.error,
          encodeError(String(e instanceof Error ? e.message : e)),
        );
    });
  }

  #freeThreadLane(space: number): Lane | null {
    return (
      this.lanes.find(
        (l) => l.role === 'thread' && l.space === space && l.owner === null && !l.busy,
      ) ?? null
    );
  }

  /** Feeds a pool's queue to its interpreters, growing the pool up to max_workers. */
  #pump(pool: Pool): void {
    while (pool.queue.length > 0) {
      const idle = pool.lanes.find((l) => !l.busy);
      if (idle) {
        void this.#dispatch(idle, pool.queue.shift()!);
        continue;
      }
      const want = pool.lanes.length + pool.growing < pool.max && pool.growing < pool.queue.length;
      if (!want) return;
      const reuse = pool.kind === 'thread' ? this.#freeThreadLane(pool.space) : null;
      if (reuse) {
        reuse.owner = pool.id;
        pool.lanes.push(reuse);
        continue;
      }
      if (this.#room() <= 0) {
        if (pool.lanes.length + pool.growing === 0) {
          for (const t of pool.queue.splice(0))
            this.#complete(
              t.fid,
              DELIVERY.error,
              encodeError(limitMessage(this.#o.maxInterpreters)),
            );
        } else if (pool.explicit && !pool.warned) {
          pool.warned = true;
          const from = this.lanes[0]!;
          this.#o.onOutput({
            lane: 0,
            label: from.info.label,
            stream: 'stderr',
            text: `GIL Lab warning: GIL Lab runs at most ${this.#o.maxInterpreters} interpreters at once, so this ${pool.kind === 'thread' ? 'ThreadPoolExecutor' : 'ProcessPoolExecutor'}(max_workers=${pool.max}) runs with ${pool.lanes.length + pool.growing}.\n`,
          });
        }
        return;
      }
      pool.growing++;
      const space = pool.kind === 'thread' ? pool.space : this.#nextSpace++;
      const n = pool.lanes.length + pool.growing - 1;
      const label =
        pool.kind === 'thread' ? `${pool.prefix}_${n}` : `Process-${++this.#processNumber}`;
      this.#newLane(
        pool.kind,
        space,
        label,
        (lane) => {
          pool.growing--;
          lane.owner = pool.id;
          pool.lanes.push(lane);
          this.#pump(pool);
        },
        null,
      );
    }
  }

  /** Frees a shut-down pool's interpreters once its work is done. */
  #releasePool(pool: Pool): void {
    if (!pool.shutdown || pool.queue.length > 0 || pool.lanes.some((l) => l.busy)) return;
    for (const l of pool.lanes) l.owner = null;
    pool.lanes = [];
  }

  async #dispatch(lane: Lane, task: Task): Promise<void> {
    const f = this.memory.futures;
    if (Atomics.compareExchange(f, task.fid, FUTURE.pending, FUTURE.running) !== FUTURE.pending) {
      this.#complete(task.fid, DELIVERY.cancelled, new Uint8Array());
      this.#afterTask(lane);
      return;
    }
    if (this.stopped) {
      this.#complete(task.fid, DELIVERY.cancelled, new Uint8Array());
      return;
    }
    lane.busy = true;
    if (lane.importError !== null) {
      const text = `GIL Lab: the program failed while ${lane.info.label} imported it:\n${lane.importError}`;
      this.#complete(task.fid, DELIVERY.error, encodeError(text));
      this.#o.onOutput({ lane: lane.info.lane, label: lane.info.label, stream: 'stderr', text });
    } else {
      const call = lane.worker.guard(lane.worker.api.runTask(task.spec));
      lane.call = call;
      try {
        const out = await call;
        this.#complete(task.fid, out.status, out.payload);
      } catch (e) {
        this.#complete(task.fid, DELIVERY.error, encodeError(this.#lost(e).error!.message));
      } finally {
        lane.call = null;
      }
    }
    lane.busy = false;
    this.#afterTask(lane);
  }

  #afterTask(lane: Lane): void {
    if (lane.owner === 'thread') lane.owner = null;
    for (const pool of this.#pools.values()) {
      if (pool.queue.length > 0) this.#pump(pool);
      this.#releasePool(pool);
    }
  }

  // ------------------------------------------------------------------ results

  #complete(fid: number, status: number, payload: Uint8Array): void {
    if (this.#results.has(fid)) return;
    const state = status === DELIVERY.cancelled ? FUTURE.cancelled : FUTURE.finished;
    Atomics.store(this.memory.futures, fid, state);
    this.#results.set(fid, { status, payload, seq: ++this.#completions });
    const task = this.#tasks.get(fid);
    if (task) task.done = true;
    for (const lane of this.lanes) {
      if (lane.await?.fids.includes(fid)) {
        lane.await = null;
        this.#deliver(lane, { fid, status, payload });
      }
    }
    for (const s of this.#settled.splice(0)) s();
  }

  #await(lane: Lane, token: number, fids: number[]): void {
    let best: { fid: number; seq: number } | null = null;
    for (const fid of fids) {
      const r = this.#results.get(fid);
      if (r && (best === null || r.seq < best.seq)) best = { fid, seq: r.seq };
    }
    if (best === null) {
      lane.await = { token, fids };
      return;
    }
    const r = this.#results.get(best.fid)!;
    this.#deliver(lane, { fid: best.fid, status: r.status, payload: r.payload });
  }

  /** Queues a delivery and writes it as soon as the lane's mailbox is empty. */
  #deliver(lane: Lane, d: Delivery): void {
    lane.outbox.push(d);
    this.#pumpOutbox(lane);
  }

  #pumpOutbox(lane: Lane): void {
    if (lane.pumping) return;
    while (lane.outbox.length > 0) {
      if (tryDeliver(lane.mailbox, lane.outbox[0]!)) {
        lane.outbox.shift();
        continue;
      }
      lane.pumping = true;
      const again = (): void => {
        lane.pumping = false;
        this.#pumpOutbox(lane);
      };
      const words = new Int32Array(lane.mailbox, 0, 16);
      const wait = Atomics.waitAsync?.(words, 0, 1, 1000);
      if (wait?.async) void wait.value.then(again);
      else setTimeout(again, 1);
      return;
    }
  }

  /** Resolves when every non-daemon task has finished; then stops daemon threads. */
  async #allTasksDone(): Promise<void> {
    const open = (): boolean =>
      [...this.#tasks.values()].some((t) => !t.done && !t.daemon) || this.#reservedLanes > 0;
    while (open() && !this.stopped) await new Promise<void>((r) => this.#settled.push(r));
    const daemons = [...this.#tasks.values()].some((t) => !t.done);
    if (daemons && !this.stopped) await this.stop(true);
  }

  // ------------------------------------------------------------------ stop

  /**
   * Stop: KeyboardInterrupt in every interpreter (SIGINT through its interrupt buffer), wake all
   * sleepers, then after `graceMs` terminate interpreters still running (a long C call cannot be
   * interrupted, as in CPython).
   */
  async stop(quiet = false, graceMs = 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    cancelAll(this.memory.control);
    for (const lane of this.lanes) {
      raiseSignal(this.memory, lane.info.lane, SIGINT);
      Atomics.notify(new Int32Array(lane.mailbox, 0, 16), 0);
    }
    wakeAllLocks(this.memory.locks);
    for (const [fid, t] of this.#tasks) if (!t.done) this.#queuedCancel(fid);
    for (const s of this.#settled.splice(0)) s();
    this.quiet = quiet;
    const calls = this.lanes.filter((l) => l.call !== null);
    await Promise.race([
      Promise.allSettled(calls.map((l) => l.call)),
      new Promise((r) => setTimeout(r, graceMs)),
    ]);
    for (const l of calls) if (l.call !== null) await this.#o.pool.discard(l.worker);
  }

  #queuedCancel(fid: number): void {
    const f = this.memory.futures;
    if (Atomics.compareExchange(f, fid, FUTURE.pending, FUTURE.cancelled) === FUTURE.pending)
      this.#complete(fid, DELIVERY.cancelled, new Uint8Array());
  }

  /** Leaves the run in every interpreter (records `done`) and returns them to the pool. */
  async finish(): Promise<InterpreterReport[]> {
    const reports = await Promise.all(
      this.lanes.map(async (l) => {
        if (!l.worker.alive) return { lane: l.info.lane, tasks: 0, handoffsUs: [] };
        try {
          return await l.worker.guard(l.worker.api.leave());
        } finally {
          this.#o.pool.giveBack(l.worker);
        }
      }),
    );
    this.reader.end(this.reader.now());
    return reports;
  }

  /** True if Stop was pressed (or daemon threads were ended). */
  get cancelled(): boolean {
    return Atomics.load(this.memory.control, CANCEL) !== 0;
  }
}

function limitMessage(max: number): string {
  return `GIL Lab runs at most ${max} interpreters at once (the main program and ${max - 1} threads or processes); this program needs more. Use fewer threads, or a pool with fewer max_workers.`;
}

function limitText(max: number): Uint8Array {
  return new TextEncoder().encode(limitMessage(max));
}
