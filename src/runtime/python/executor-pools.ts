/**
 * The executors' pools: each queues its tasks and grows up to max_workers interpreters (within
 * the run's limit). A thread pool's interpreters share the program's GIL and may reuse idle
 * thread lanes; each process gets a lane, and a GIL, of its own.
 */
import type { LaneTable } from './lanes.ts';
import { DELIVERY, ERROR_MARKER, encodeError } from './mailbox.ts';
import type { InterpreterRequest, InterpreterRole } from './protocol.ts';
import { limitMessage } from './session-messages.ts';
import type { Lane, Pool, SessionOptions, Task } from './session-types.ts';
import type { TaskResults } from './task-results.ts';

/** What the pools need from the session's router. */
export interface PoolHost {
  readonly options: SessionOptions;
  readonly lanes: LaneTable;
  readonly results: TaskResults;
  dispatch(lane: Lane, task: Task): Promise<void>;
  newLane(
    role: InterpreterRole,
    space: number,
    label: string,
    then: (l: Lane) => void,
    task: Task | null,
  ): void;
}

// CPython 3.14's words (Lib/concurrent/futures/process.py, _ExecutorManagerThread.terminate_broken).
const TERMINATED_ABRUPTLY =
  'A process in the process pool was terminated abruptly while the future was running or pending.';
const NOT_USABLE = 'A child process terminated abruptly, the process pool is not usable anymore';

export class ExecutorPools {
  readonly #pools = new Map<number, Pool>();
  readonly #host: PoolHost;
  #nextSpace = 1;
  #processNumber = 0;

  constructor(host: PoolHost) {
    this.#host = host;
  }

  /** Registers an executor the program made in lane `from`. */
  add(from: Lane, r: Extract<InterpreterRequest, { kind: 'executor' }>): void {
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
      broken: false,
    });
  }

  get(id: number): Pool | undefined {
    return this.#pools.get(id);
  }

  /** executor.shutdown(): its interpreters are freed once its work is done. */
  shutdown(id: number): void {
    const pool = this.#pools.get(id);
    if (pool) {
      pool.shutdown = true;
      this.#release(pool);
    }
  }

  /** After any task: feeds the queues that wait and frees what shut-down pools no longer need. */
  afterTask(): void {
    for (const pool of this.#pools.values()) {
      if (pool.queue.length > 0) this.pump(pool);
      this.#release(pool);
    }
  }

  /**
   * A process of `pool` died while running a task: the pool is broken, as in CPython
   * (concurrent/futures/process.py, terminate_broken): the task and every queued one fail with
   * BrokenProcessPool, and so does any task submitted later. (CPython also ends the pool's other
   * processes; here a task already running elsewhere in the pool finishes.)
   */
  broke(pool: Pool, fid: number): void {
    pool.broken = true;
    const { results } = this.#host;
    for (const id of [fid, ...pool.queue.splice(0).map((t) => t.fid)])
      results.complete(
        id,
        DELIVERY.error,
        encodeError(TERMINATED_ABRUPTLY, ERROR_MARKER.brokenProcessPool),
      );
  }

  /** Feeds a pool's queue to its interpreters, growing the pool up to max_workers. */
  pump(pool: Pool): void {
    const { options: o, lanes, results } = this.#host;
    if (pool.broken) {
      for (const t of pool.queue.splice(0))
        results.complete(
          t.fid,
          DELIVERY.error,
          encodeError(NOT_USABLE, ERROR_MARKER.brokenProcessPool),
        );
      return;
    }
    while (pool.queue.length > 0) {
      const idle = pool.lanes.find((l) => !l.busy);
      if (idle) {
        const task = pool.queue.shift()!;
        if (pool.kind === 'thread')
          task.spec.threadName = `${pool.prefix}_${pool.lanes.indexOf(idle)}`;
        void this.#host.dispatch(idle, task);
        continue;
      }
      const want = pool.lanes.length + pool.growing < pool.max && pool.growing < pool.queue.length;
      if (!want) return;
      const reuse = pool.kind === 'thread' ? lanes.freeThreadLane(pool.space) : null;
      if (reuse) {
        reuse.owner = pool.id;
        pool.lanes.push(reuse);
        continue;
      }
      if (lanes.room() <= 0) {
        if (pool.lanes.length + pool.growing === 0) {
          for (const t of pool.queue.splice(0))
            results.complete(t.fid, DELIVERY.error, encodeError(limitMessage(o.maxInterpreters)));
        } else if (pool.explicit && !pool.warned) {
          pool.warned = true;
          const from = lanes.list[0]!;
          o.onOutput({
            lane: 0,
            label: from.info.label,
            stream: 'stderr',
            text: `GIL Lab warning: GIL Lab runs at most ${o.maxInterpreters} interpreters at once, so this ${pool.kind === 'thread' ? 'ThreadPoolExecutor' : 'ProcessPoolExecutor'}(max_workers=${pool.max}) runs with ${pool.lanes.length + pool.growing}.\n`,
          });
        }
        return;
      }
      pool.growing++;
      const space = pool.kind === 'thread' ? pool.space : this.#nextSpace++;
      const n = pool.lanes.length + pool.growing - 1;
      const label =
        pool.kind === 'thread' ? `${pool.prefix}_${n}` : `Process-${++this.#processNumber}`;
      this.#host.newLane(
        pool.kind,
        space,
        label,
        (lane) => {
          pool.growing--;
          lane.owner = pool.id;
          pool.lanes.push(lane);
          this.pump(pool);
        },
        null,
      );
    }
  }

  /** Frees a shut-down pool's interpreters once its work is done. */
  #release(pool: Pool): void {
    if (!pool.shutdown || pool.queue.length > 0 || pool.lanes.some((l) => l.busy)) return;
    for (const l of pool.lanes) l.owner = null;
    pool.lanes = [];
  }
}
