/**
 * Page side: one run of a Python program. Owns the run's shared memory and timeline, waits for
 * the main program and every non-daemon task, and stops the run. Its parts: lanes.ts (one lane
 * per interpreter), routing.ts and executor-pools.ts (what interpreters ask for while they run),
 * task-results.ts and lane-outbox.ts (how results reach a blocked interpreter).
 */
import { CANCEL, cancelAll } from '../core/control.ts';
import { createTimeline, type TimelineReader } from '../core/timeline.ts';
import { LaneTable } from './lanes.ts';
import {
  MAX_INTERPRETERS,
  SIGINT,
  createPythonMemory,
  raiseSignal,
  requestOutputFlush,
  type PythonMemory,
} from './memory.ts';
import { wakeAllLocks } from './locks.ts';
import type { InterpreterReport, PythonOutcome } from './protocol.ts';
import { RequestRouter } from './routing.ts';
import { endedOutcome, lostOutcome } from './session-messages.ts';
import type { Lane, SessionOptions } from './session-types.ts';
import { TaskResults } from './task-results.ts';

export type { Lane, SessionOptions } from './session-types.ts';

/** Events per lane kept in the timeline (about a minute of 5 ms switches). */
const TIMELINE_CAPACITY = 1 << 15;
/** How often a run asks interpreters holding back output to post it (see SIGUSR2), ms. */
const OUTPUT_NUDGE_MS = 50;

/** One run, from the main interpreter's start to the last task's end. */
export class PythonSession {
  readonly memory: PythonMemory;
  stopped = false;
  /**
   * Interpreters the run had asked for (a pool growing) that were still starting when its work
   * was done: they never joined, so the timeline has no lane for them.
   */
  stillStarting = 0;
  /** Stopped because the program ended with daemon threads running (not by the reader). */
  quiet = false;
  readonly #o: SessionOptions;
  readonly #timeline = createTimeline(MAX_INTERPRETERS, TIMELINE_CAPACITY);
  readonly #lanes: LaneTable;
  readonly #results: TaskResults;
  readonly #router: RequestRouter;
  /** Settles when stop() is called: a run still waiting for its first interpreter ends at once. */
  readonly #stopping: Promise<never>;
  #stopNow: (e: Error) => void = () => undefined;
  /** The program's outcome once one of its interpreters ended it (os._exit, a fatal error). */
  #ended: PythonOutcome | null = null;
  /** Stopping the rest of the program after that. */
  #ending: Promise<void> | null = null;

  constructor(options: SessionOptions) {
    this.#o = options;
    this.memory = createPythonMemory(options.switchIntervalMs);
    const isStopped = (): boolean => this.stopped;
    this.#lanes = new LaneTable(options, this.memory, this.#timeline, isStopped, (r) =>
      this.#router.onRequest(r),
    );
    this.#results = new TaskResults(this.memory, this.#lanes.list);
    this.#router = new RequestRouter(
      options,
      this.memory,
      this.#lanes,
      this.#results,
      isStopped,
      (lane, cause) => this.#programEnded(lane, endedOutcome(cause, lane.info.label)),
    );
    this.#stopping = new Promise<never>((_, reject) => (this.#stopNow = reject));
    this.#stopping.catch(() => undefined);
  }

  /** The run's interpreters, in the order they joined. */
  get lanes(): readonly Lane[] {
    return this.#lanes.list;
  }

  get reader(): TimelineReader {
    return this.#lanes.reader;
  }

  /** Runs the program; resolves with the main interpreter's outcome once every task is done. */
  async run(): Promise<{ outcome: PythonOutcome; wallMs: number }> {
    // Booting the first interpreter takes seconds: Stop must not wait for it. The boot goes on,
    // and its interpreter joins the warm pool (lanes.add gives it back once it sees the stop).
    const adding = this.#lanes.add('main', 0, 'MainThread');
    adding.catch(() => undefined);
    const main = await Promise.race([adding, this.#stopping]);
    const t0 = this.reader.now();
    // A worker batches output and cannot post it by itself while Python only computes (its JS
    // does not run): the last lines before a long computation would wait for its end.
    const nudge = setInterval(() => {
      for (const lane of this.lanes) requestOutputFlush(this.memory, lane.info.lane);
    }, OUTPUT_NUDGE_MS);
    try {
      main.call = main.worker.guard(main.worker.api.runMain());
      const outcome = (await main.call.catch((e: unknown) =>
        lostOutcome(this.stopped, e),
      )) as PythonOutcome;
      main.call = null;
      if (outcome.error?.type === 'InterpreterExited') this.#programEnded(main, outcome);
      await this.#ending;
      await this.#allTasksDone();
      return { outcome: this.#ended ?? outcome, wallMs: this.reader.now() - t0 };
    } finally {
      clearInterval(nudge);
    }
  }

  /**
   * os._exit (or a fatal error) in any of the program's interpreters ends the whole program at
   * once, as it ends CPython's process: every other interpreter is stopped, and nothing more they
   * print is shown. `outcome` becomes the run's.
   */
  #programEnded(lane: Lane, outcome: PythonOutcome): void {
    if (this.#ended !== null || this.stopped) return;
    this.#ended = outcome;
    this.#router.endedBy(lane);
    this.#ending = this.stop(true);
  }

  /**
   * Resolves when every non-daemon task has finished; then stops daemon threads. Interpreters
   * still booting for a pool are not waited for (no task needs them): the lane table is closed,
   * and they go back to the warm pool when they are ready.
   */
  async #allTasksDone(): Promise<void> {
    const tasks = this.#results.tasks;
    const open = (): boolean => [...tasks.values()].some((t) => !t.done && !t.daemon);
    while (open() && !this.stopped) await this.#results.changed();
    this.stillStarting = this.#lanes.reserved;
    this.#lanes.closed = true;
    const daemons = [...tasks.values()].some((t) => !t.done);
    if (daemons && !this.stopped) await this.stop(true);
  }

  /**
   * Stop: KeyboardInterrupt in every interpreter (SIGINT through its interrupt buffer), wake all
   * sleepers, then after `graceMs` terminate interpreters still running (a long C call cannot be
   * interrupted, as in CPython).
   */
  async stop(quiet = false, graceMs = 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.#stopNow(new Error('Stopped'));
    cancelAll(this.memory.control);
    for (const lane of this.lanes) {
      raiseSignal(this.memory, lane.info.lane, SIGINT);
      Atomics.notify(new Int32Array(lane.mailbox, 0, 16), 0);
    }
    wakeAllLocks(this.memory.locks);
    for (const [fid, t] of this.#results.tasks) if (!t.done) this.#results.cancelQueued(fid);
    this.#results.wake();
    this.quiet = quiet;
    const calls = this.lanes.filter((l) => l.call !== null);
    await Promise.race([
      Promise.allSettled(calls.map((l) => l.call)),
      new Promise((r) => setTimeout(r, graceMs)),
    ]);
    for (const l of calls) if (l.call !== null) await this.#o.pool.discard(l.worker);
  }

  /** Leaves the run in every interpreter (records `done`) and returns them to the pool. */
  async finish(): Promise<InterpreterReport[]> {
    const reports = await Promise.all(
      this.lanes.map(async (l) => {
        const none: InterpreterReport = { lane: l.info.lane, tasks: 0, handoffsUs: [] };
        if (!l.worker.alive) return none;
        try {
          return await l.worker.leave();
        } catch {
          return { ...none, reusable: false }; // the worker went away: giveBack discards it
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
