/**
 * Routes what interpreters ask for while they run: output goes to the page, a threading.Thread
 * gets an interpreter of its own (or a free thread lane), executor tasks queue for their pool,
 * and waits are answered from the run's results.
 */
import { ExecutorPools, type PoolHost } from './executor-pools.ts';
import { deliver } from './lane-outbox.ts';
import type { LaneTable } from './lanes.ts';
import { DELIVERY, encodeError } from './mailbox.ts';
import { FUTURE, type PythonMemory } from './memory.ts';
import type { InterpreterRequest, InterpreterRole } from './protocol.ts';
import { limitMessage, limitText, lostOutcome } from './session-messages.ts';
import type { Lane, SessionOptions, Task } from './session-types.ts';
import type { TaskResults } from './task-results.ts';

export class RequestRouter implements PoolHost {
  readonly options: SessionOptions;
  readonly lanes: LaneTable;
  readonly results: TaskResults;
  readonly #memory: PythonMemory;
  readonly #isStopped: () => boolean;
  readonly #onEnded: (lane: Lane, cause: string) => void;
  readonly #pools = new ExecutorPools(this);
  #threadNumber = 0;
  /**
   * The lane whose interpreter ended the program (os._exit, a fatal error): from then on only
   * what it printed before is shown, nothing the others print while they are stopped.
   */
  #endedBy: Lane | null = null;

  constructor(
    options: SessionOptions,
    memory: PythonMemory,
    lanes: LaneTable,
    results: TaskResults,
    isStopped: () => boolean,
    onEnded: (lane: Lane, cause: string) => void,
  ) {
    this.options = options;
    this.#memory = memory;
    this.lanes = lanes;
    this.results = results;
    this.#isStopped = isStopped;
    this.#onEnded = onEnded;
  }

  /** The program ended in `lane`'s interpreter: the other lanes' output is no longer shown. */
  endedBy(lane: Lane): void {
    this.#endedBy ??= lane;
  }

  onRequest(r: InterpreterRequest): void {
    const from = this.lanes.list[r.lane];
    if (from === undefined) return;
    switch (r.kind) {
      case 'output':
        if (this.#endedBy !== null && from !== this.#endedBy) return;
        if (from === this.#endedBy || !this.#isStopped() || r.stream === 'stderr')
          this.options.onOutput({
            lane: r.lane,
            label: from.info.label,
            stream: r.stream,
            text: r.text,
          });
        return;
      case 'executor':
        this.#pools.add(from, r);
        return;
      case 'submit':
        this.#submit(from, r);
        return;
      case 'shutdown':
        this.#pools.shutdown(r.executor);
        return;
      case 'await':
        this.results.await(from, r.token, r.fids);
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
    this.results.tasks.set(r.fid, task);
    if (pool) {
      pool.queue.push(task);
      this.#pools.pump(pool);
      return;
    }
    // threading.Thread: CPython's start() fails at once if no thread can be made.
    const max = this.options.maxInterpreters;
    const free = this.lanes.freeThreadLane(from.space);
    if (free === null && this.lanes.room() <= 0) {
      deliver(from, { fid: r.fid, status: DELIVERY.refused, payload: limitText(max) });
      this.results.complete(r.fid, DELIVERY.error, encodeError(limitMessage(max)));
      return;
    }
    deliver(from, { fid: r.fid, status: DELIVERY.accepted, payload: new Uint8Array() });
    if (free !== null) {
      free.owner = 'thread';
      void this.dispatch(free, task);
      return;
    }
    const label = `Thread-${++this.#threadNumber}`;
    this.newLane(
      'thread',
      from.space,
      label,
      (lane) => {
        lane.owner = 'thread';
        void this.dispatch(lane, task);
      },
      task,
    );
  }

  /** Creates a lane in the background; on failure the task fails with the reason. */
  newLane(
    role: InterpreterRole,
    space: number,
    label: string,
    then: (l: Lane) => void,
    task: Task | null,
  ): void {
    void this.lanes.add(role, space, label).then(then, (e: unknown) => {
      if (task)
        this.results.complete(
          task.fid,
          DELIVERY.error,
          encodeError(String(e instanceof Error ? e.message : e)),
        );
    });
  }

  /** Runs a task in a lane, unless it was cancelled first or the run was stopped. */
  async dispatch(lane: Lane, task: Task): Promise<void> {
    const f = this.#memory.futures;
    if (Atomics.compareExchange(f, task.fid, FUTURE.pending, FUTURE.running) !== FUTURE.pending) {
      this.results.complete(task.fid, DELIVERY.cancelled, new Uint8Array());
      this.#afterTask(lane);
      return;
    }
    if (this.#isStopped()) {
      this.results.complete(task.fid, DELIVERY.cancelled, new Uint8Array());
      return;
    }
    lane.busy = true;
    if (lane.importError !== null) {
      const text = `GIL Lab: the program failed while ${lane.info.label} imported it:\n${lane.importError}`;
      this.results.complete(task.fid, DELIVERY.error, encodeError(text));
      this.options.onOutput({
        lane: lane.info.lane,
        label: lane.info.label,
        stream: 'stderr',
        text,
      });
    } else {
      const call = lane.worker.guard(lane.worker.api.runTask(task.spec));
      lane.call = call;
      try {
        const out = await call;
        // os._exit or a fatal error in a thread ends the whole process in CPython; in a pool's
        // process, only that process (its pool breaks: its futures fail with BrokenProcessPool).
        const pool = task.spec.executor && this.#pools.get(task.spec.executor.id);
        if (out.ended !== undefined && lane.role === 'process' && pool)
          this.#pools.broke(pool, task.fid);
        else {
          if (out.ended !== undefined && lane.role !== 'process') this.#onEnded(lane, out.ended);
          this.results.complete(task.fid, out.status, out.payload);
        }
      } catch (e) {
        // The worker itself went away (crashed, or closed itself): in a pool's process, as above.
        const pool = task.spec.executor && this.#pools.get(task.spec.executor.id);
        if (!this.#isStopped() && lane.role === 'process' && pool)
          this.#pools.broke(pool, task.fid);
        else {
          const message = lostOutcome(this.#isStopped(), e).error!.message;
          this.results.complete(task.fid, DELIVERY.error, encodeError(message));
        }
      } finally {
        lane.call = null;
      }
    }
    lane.busy = false;
    this.#afterTask(lane);
  }

  #afterTask(lane: Lane): void {
    if (lane.owner === 'thread') lane.owner = null;
    this.#pools.afterTask();
  }
}
