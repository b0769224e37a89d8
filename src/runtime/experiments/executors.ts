/**
 * concurrent.futures-style executors over real workers. One Executor is one run: it owns the run's
 * shared memory (control block + timeline), leases workers, queues tasks, and on shutdown turns
 * what happened into a RunResult. Sequential = one thread; thread pool = warm workers sharing one
 * GIL (or none); process pool = a fresh interpreter per worker and run, one GIL each, inputs
 * copied by structured clone (its workers kept warm). A process pool with a start method also has
 * CPython's parent process, modelled by real work on a lane of its own (parent-model.ts): it
 * starts the processes inside the clock, as CPython's does, and sends every task.
 */
import type { RunConfig } from './config.ts';
import { COUNTER, cancelAll, createControl, lockBase } from '../core/control.ts';
import type { ExecutorEnv, RunOptions, TaskOverride } from './executor-options.ts';
import { Future } from './future.ts';
import { readLock, setSwitchInterval } from '../core/gil.ts';
import { RuntimeDisposedError, WorkerCrashedError, type WorkerSlot } from './pool.ts';
import { SEND_MODEL_MS, START_METHOD_MODEL_MS, buildResult, type RunResult } from './result.ts';
import type { ParentSetup } from './thread.api.ts';
import { TimelineReader, createTimeline, type LaneInfo } from '../core/timeline.ts';
import type { TaskOutcome } from './thread.api.ts';
import { fillBytes } from './workloads/hash.ts';
import { needsData } from './workloads/index.ts';
import {
  SwitchIntervalSchema,
  WorkloadSchema,
  type WorkloadConfig,
} from '../../schemas/run-config.ts';
import { RunConfigError, parseOrThrow } from './config.ts';
import { releaseWorkers, spawnProcesses } from './worker-lifecycle.ts';
import { closeParent, submitToParent } from './parent-model.ts';

export type { ExecutorEnv, Progress, RunOptions, TaskOverride } from './executor-options.ts';

type QueuedWorkload = WorkloadConfig;

/** The label of a process pool's parent lane: CPython's name for the main process. */
export const PARENT_LABEL = 'MainProcess';

/**
 * The lanes a run draws: one per worker (lane i is worker i), then, for a process pool with a
 * start method, its parent process (parent-model.ts), which holds no GIL of the workers'.
 */
export function runLanes(
  config: Pick<RunConfig, 'executor' | 'workers' | 'mode' | 'startMethod'>,
): LaneInfo[] {
  const procs = config.executor === 'processes';
  const workers = config.executor === 'sequential' ? 1 : config.workers;
  const lanes: LaneInfo[] = Array.from({ length: workers }, (_, i) => ({
    lane: i,
    label:
      config.executor === 'sequential' ? 'MainThread' : `${procs ? 'Process' : 'Thread'}-${i + 1}`,
    kind: procs ? 'process' : 'thread',
    lock: config.mode === 'free-threaded' ? null : procs ? i : 0,
  }));
  if (procs && config.startMethod !== 'none')
    lanes.push({ lane: workers, label: PARENT_LABEL, kind: 'parent', lock: null });
  return lanes;
}

/** A pool executor for one run; `timeline` is readable from the moment it is created. */
export class Executor {
  readonly config: RunConfig;
  readonly timeline: TimelineReader;
  readonly #env: ExecutorEnv;
  readonly #opts: RunOptions;
  readonly #control: Int32Array;
  readonly #data: Uint8Array | null;
  readonly #ready: Promise<void>;
  readonly #futures: Future<TaskOutcome>[] = [];
  readonly #queue: {
    f: Future<TaskOutcome>;
    workload: QueuedWorkload;
    size: number | undefined;
  }[] = [];
  readonly #idle: WorkerSlot[] = [];
  readonly #inflight = new Map<WorkerSlot, Promise<void>>();
  #slots: WorkerSlot[] = [];
  #size = 0;
  #calibrated = false;
  #startedAt = 0;
  #warmupMs: number[] = [];
  #lastResultAt = 0;
  #done = 0;
  #failure: Error | null = null;
  #shutdown: Promise<RunResult> | null = null;
  readonly #raw = { argsMs: 0, resultsMs: 0, copyBytes: 0, raceExpected: 0 };
  readonly #values: number[] = [];
  /** Every switch interval the run has used, in order: the configured one, then each change. */
  readonly #intervalsMs: number[];
  /** Removes the abort listener from the caller's signal (once the run has finished). */
  #unlisten: () => void = () => undefined;
  /**
   * Process pools with a start method: CPython's parent process, modelled by a worker of its own
   * on the last lane (parent-model.ts), and how many tasks have been handed out so far (each
   * one's place in the order the parent sends them). Null: no modelled parent.
   */
  readonly #sends: boolean;
  #parent: {
    slot: WorkerSlot;
    setup: ParentSetup;
    /** The parent's loop, once it has started (when the pool is ready). */
    done: Promise<unknown> | null;
  } | null = null;
  #handedOut = 0;
  /** Tasks the modelled parent sent (its count when it ended), or null without one. */
  #parentSent: number | null = null;

  constructor(env: ExecutorEnv, config: RunConfig, opts: RunOptions = {}) {
    this.#env = env;
    this.config = config;
    this.#opts = opts;
    const procs = config.executor === 'processes';
    const lanes = runLanes(config);
    this.#intervalsMs = [config.switchIntervalMs];
    this.#control = createControl(procs ? config.workers : 1, config.switchIntervalMs);
    this.#sends = lanes.length > config.workers;
    const desc = createTimeline(lanes.length, config.timelineCapacity);
    this.timeline = new TimelineReader(desc, lanes);
    const bytes = config.workload.bytes;
    this.#data = !needsData(config.workload.name)
      ? null
      : fillBytes(procs ? new Uint8Array(bytes) : new Uint8Array(new SharedArrayBuffer(bytes)));
    this.#ready = this.#start(lanes, desc);
    this.#ready.catch((e: unknown) => this.#abort(asError(e)));
    const signal = opts.signal;
    if (signal?.aborted) this.#abort(abortError(signal));
    else if (signal) {
      // Removed when the run finishes: a signal reused across runs must not keep each finished
      // Executor (and its timeline buffers) alive.
      const onAbort = (): void => this.#abort(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#unlisten = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /** Which executor this is. */
  get kind(): RunConfig['executor'] {
    return this.config.executor;
  }

  async #start(lanes: LaneInfo[], desc: ReturnType<typeof createTimeline>): Promise<void> {
    const c = this.config;
    const now = this.timeline.now;
    if (c.workload.size !== undefined) this.#size = c.workload.size;
    else {
      this.#size = (await this.#env.calibrate(c.workload, c.workload.targetMs!)).size;
      this.#calibrated = true;
    }
    if (this.#failure) throw this.#failure;
    const procs = c.executor === 'processes';
    if (this.#sends) this.#parent = await this.#leaseParent(desc, c.workers);
    if (this.#failure) throw this.#failure;
    this.#slots = procs
      ? await spawnProcesses(this.#env.pool, c.workers, now)
      : await this.#env.pool.lease(c.workers, now);
    // Errors name a worker by what the timeline shows it as ("Thread-2"), not its internal name.
    this.#slots.forEach((slot, i) => (slot.label = lanes[i]!.label));
    this.#warmupMs = await Promise.all(
      this.#slots.map((slot, i) =>
        slot.guard(
          slot.api.init({
            control: this.#control,
            timeline: desc,
            lane: i,
            lock: lanes[i]!.lock,
            data: procs ? null : this.#data,
            createdAt: null,
            warmup: { workload: c.workload, minMs: this.#env.warmupMs },
            ...(this.#opts.recordTimeline === false ? { recordTimeline: false } : {}),
          }),
        ),
      ),
    );
    // The clock starts here. Not before: the browser's own worker creation (tens of ms, often
    // done long before: warm workers are reused) and the JS engine's JIT warm-up are costs
    // CPython does not have, so both happen before the clock and are reported apart (charging
    // the browser's worker creation made two fork processes show 1.24-1.65x where CPython
    // measured 1.85x on the same idle machine). What CPython does pay to start a pool is inside:
    // the parent (below) starts the processes one after another, as real work, before any task
    // reaches one.
    this.#startedAt = now();
    const parent = this.#parent;
    if (parent) {
      // The parent starts the processes, then sends every task submitted so far and each one
      // after. If its worker dies, no task would ever arrive: the run fails.
      parent.done = parent.slot.guard(parent.slot.api.parent(parent.setup));
      parent.done.catch((e: unknown) => {
        if (this.#parent === parent) this.#abort(asError(e));
      });
    }
    this.#idle.push(...this.#slots);
    if (this.#failure) throw this.#failure;
    this.#pump();
  }

  /**
   * Submits one task; by default the run's workload, or `task.workload` merged over it (e.g. an
   * io task beside CPU tasks), with `task.size` overriding the size. Returns its Future.
   */
  submit(task: TaskOverride = {}): Future<TaskOutcome> {
    if (this.#shutdown) throw new Error('cannot submit after shutdown()');
    const base = this.config.workload;
    // Overrides get the same checks and limits as a run's config (RunConfigError naming the field).
    const workload: QueuedWorkload = task.workload
      ? parseOrThrow(
          WorkloadSchema,
          { ...base, targetMs: undefined, size: 1, ...task.workload, ...sizeOf(task) },
          'workload',
        )
      : base;
    if (!task.workload && task.size !== undefined) {
      parseOrThrow(WorkloadSchema, { ...base, targetMs: undefined, size: task.size }, 'workload');
    }
    if (needsData(workload.name) && this.#data === null) {
      throw new RunConfigError([
        `workload.name: ${workload.name} needs an input buffer; make it the run's workload`,
      ]);
    }
    if (workload.name === 'race' && this.config.mode === 'processes') {
      throw new RunConfigError(['workload.name: race needs memory shared between threads']);
    }
    const f = new Future<TaskOutcome>(this.#futures.length);
    this.#futures.push(f);
    if (this.#failure) f.fail(this.#failure);
    else {
      this.#queue.push({ f, workload, size: task.workload ? workload.size : task.size });
      if (this.#sends) submitToParent(this.#control);
      this.#pump();
    }
    return f;
  }

  /** Submits `count` tasks (default: config.tasks) and resolves with their values in submission order. */
  async map(count = this.config.tasks): Promise<number[]> {
    const fs = Array.from({ length: count }, () => this.submit());
    return Promise.all(fs.map(async (f) => (await f.result()).value));
  }

  /** Yields futures as they complete (all submitted ones by default). */
  async *asCompleted(
    futures: Iterable<Future<TaskOutcome>> = this.#futures,
  ): AsyncGenerator<Future<TaskOutcome>> {
    const pending = new Set(futures);
    while (pending.size > 0) {
      const f = await Promise.race([...pending].map((p) => p.settled()));
      pending.delete(f);
      yield f;
    }
  }

  /**
   * sys.setswitchinterval while the run goes on: `ms` must be in the same range as the config's
   * switchIntervalMs (else a RunConfigError naming it). The result reports every interval used.
   */
  setSwitchInterval(ms: number): void {
    const value = parseOrThrow(SwitchIntervalSchema, ms, 'switchIntervalMs');
    const locks = this.config.executor === 'processes' ? this.config.workers : 1;
    for (let i = 0; i < locks; i++) setSwitchInterval(this.#control, lockBase(i), value);
    if (this.#intervalsMs.at(-1) !== value) this.#intervalsMs.push(value);
  }

  /** Cancels the run: running work stops at its next check, queued tasks never start. */
  cancel(reason: Error = new DOMException('The run was cancelled', 'AbortError')): void {
    this.#abort(reason);
  }

  /** Waits for every submitted task, frees the workers and returns the run's result. */
  shutdown(): Promise<RunResult> {
    this.#shutdown ??= this.#finish();
    return this.#shutdown;
  }

  #pump(): void {
    if (this.#failure || this.#startedAt === 0) return;
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const { f, workload, size } = this.#queue.shift()!;
      // Its place in the order the parent sends: counted even for a task cancelled before it
      // started (a run's failure), which the parent has counted as submitted too.
      const sendIndex = this.#sends ? this.#handedOut++ : undefined;
      if (!f.markRunning()) continue;
      this.#dispatch(this.#idle.shift()!, f, { ...workload, size: size ?? this.#size }, sendIndex);
    }
  }

  #dispatch(
    slot: WorkerSlot,
    f: Future<TaskOutcome>,
    workload: WorkloadConfig & { size: number },
    sendIndex: number | undefined,
  ): void {
    const c = this.config;
    const now = this.timeline.now;
    const copy = c.executor === 'processes' ? this.#data : null;
    this.#raw.copyBytes += copy?.byteLength ?? 0;
    if (workload.name === 'race') this.#raw.raceExpected += workload.size;
    const spec = {
      index: f.index,
      count: c.tasks,
      workload,
      data: copy,
      sentAt: now(),
      ...(sendIndex === undefined ? {} : { sendIndex }),
    };
    const p = slot.guard(slot.api.run(spec)).then(
      (out) => {
        const at = now();
        this.#lastResultAt = Math.max(this.#lastResultAt, at);
        this.#raw.argsMs += out.receivedAt - out.sentAt;
        this.#raw.resultsMs += at - out.endedAt;
        this.#values[f.index] = out.value;
        f.fulfil(out);
        this.#done++;
        this.#opts.onProgress?.({
          done: this.#done,
          total: this.#futures.length,
          elapsedMs: at - this.#startedAt,
        });
      },
      (e: unknown) => {
        const err = this.#failure ?? asError(e);
        f.fail(err);
        // The worker is gone (crashed, or the runtime was disposed): nothing else will run either.
        if (err instanceof WorkerCrashedError || err instanceof RuntimeDisposedError) {
          this.#abort(err);
        }
      },
    );
    this.#inflight.set(
      slot,
      p.finally(() => {
        this.#inflight.delete(slot);
        this.#idle.push(slot);
        this.#pump();
      }),
    );
  }

  /**
   * A thread worker to play the pool's parent (parent-model.ts) on lane `lane`, warmed up, with
   * its work: countdowns sized on this device to CPython's measured cost of starting one process
   * by the run's start method, and of sending one task.
   */
  async #leaseParent(
    timeline: ReturnType<typeof createTimeline>,
    lane: number,
  ): Promise<{ slot: WorkerSlot; setup: ParentSetup; done: null }> {
    const method = this.config.startMethod;
    if (method === 'none') throw new Error('a pool without a start method has no parent');
    const sized = async (targetMs: number) => {
      const countdown = parseOrThrow(WorkloadSchema, { name: 'countdown', targetMs }, 'workload');
      const { size } = await this.#env.calibrate(countdown, targetMs);
      return { ...countdown, targetMs: undefined, size };
    };
    const start = await sized(START_METHOD_MODEL_MS[method]);
    const send = SEND_MODEL_MS > 0 ? await sized(SEND_MODEL_MS) : null;
    const [slot] = await this.#env.pool.lease(1, this.timeline.now);
    try {
      await slot!.guard(slot!.api.warmParent(start, this.#env.warmupMs));
    } catch (e) {
      await this.#env.pool.discard(slot!);
      throw e;
    }
    const setup: ParentSetup = {
      control: this.#control,
      timeline,
      lane,
      processes: this.config.workers,
      start,
      send,
      ...(this.#opts.recordTimeline === false ? { recordTimeline: false } : {}),
    };
    return { slot: slot!, setup, done: null };
  }

  /** Ends the modelled parent (it has sent every task, or the run was stopped) and frees its worker. */
  async #releaseParent(): Promise<void> {
    const parent = this.#parent;
    if (parent === null) return;
    this.#parent = null;
    closeParent(this.#control);
    try {
      this.#parentSent = parent.done === null ? 0 : Number(await parent.done);
      this.#env.pool.giveBack(parent.slot);
    } catch {
      await this.#env.pool.discard(parent.slot);
    }
  }

  #abort(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    cancelAll(this.#control);
    for (const { f } of this.#queue.splice(0)) f.cancel(error);
  }

  async #finish(): Promise<RunResult> {
    try {
      return await this.#collect();
    } finally {
      this.#unlisten();
    }
  }

  async #collect(): Promise<RunResult> {
    await this.#ready.catch(() => undefined);
    await Promise.all(this.#futures.map((f) => f.settled()));
    await this.#releaseParent();
    const reports = await releaseWorkers(
      this.#env.pool,
      this.#slots,
      this.#inflight,
      this.config.executor === 'processes',
      this.#failure !== null,
    );
    this.timeline.end(this.timeline.now());
    if (this.#failure) throw this.#failure;
    const c = this.config;
    const tasksPerLane = Array.from(
      { length: c.workers },
      (_, i) => reports.find((r) => r.lane === i)?.tasks ?? 0,
    );
    const locks = c.executor === 'processes' ? c.workers : 1;
    let switches = 0;
    for (let i = 0; i < locks; i++) switches += readLock(this.#control, lockBase(i)).switches;
    return buildResult({
      config: c,
      size: this.#size,
      calibrated: this.#calibrated,
      cores: this.#env.cores,
      wallMs: this.#lastResultAt - this.#startedAt,
      baselineWallMs: this.#opts.baselineWallMs ?? null,
      snapshot: this.timeline.snapshot(),
      switches: c.mode === 'free-threaded' ? 0 : switches,
      switchIntervalsMs: [...this.#intervalsMs],
      handoffsUs: reports.flatMap((r) => r.handoffsUs),
      tasksPerLane,
      startupMs: c.executor === 'processes' ? this.#slots.map((s) => s.startupMs) : [],
      warmupMs: this.#warmupMs,
      copyBytes: this.#raw.copyBytes,
      argsMs: this.#raw.argsMs,
      resultsMs: this.#raw.resultsMs,
      values: this.#values,
      counter: Atomics.load(this.#control, COUNTER),
      raceExpected: this.#raw.raceExpected,
      parentSent: this.#parentSent,
    });
  }
}

/** A task's `size` as a workload field, only when given (so it overrides the merged workload's). */
function sizeOf(task: TaskOverride): { size?: number } {
  return task.size === undefined ? {} : { size: task.size };
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The run was cancelled', 'AbortError');
}
