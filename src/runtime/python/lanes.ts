/**
 * The run's lanes: one per interpreter, in the order they joined, and the timeline reader that
 * shows them. Adding a lane leases an interpreter from the pool and has it join the run.
 */
import { TimelineReader, type LaneInfo, type TimelineDescriptor } from '../core/timeline.ts';
import type { PythonWorker } from './interpreters.ts';
import { createMailbox } from './mailbox.ts';
import type { PythonMemory } from './memory.ts';
import type { InterpreterRequest, InterpreterRole } from './protocol.ts';
import type { Lane, SessionOptions } from './session-types.ts';

export class LaneTable {
  readonly list: Lane[] = [];
  reader: TimelineReader;
  /** Lanes whose interpreter is still being leased; they count as taken. */
  reserved = 0;
  /**
   * Set when the run has ended (its program and every task are done): an interpreter whose lease
   * completes later (a pool grew for work that others already did) goes back to the warm pool
   * instead of joining, so the run never waits for an interpreter it no longer needs.
   */
  closed = false;
  readonly #o: SessionOptions;
  readonly #memory: PythonMemory;
  readonly #timeline: TimelineDescriptor;
  readonly #isStopped: () => boolean;
  readonly #onRequest: (r: InterpreterRequest) => void;

  constructor(
    options: SessionOptions,
    memory: PythonMemory,
    timeline: TimelineDescriptor,
    isStopped: () => boolean,
    onRequest: (r: InterpreterRequest) => void,
  ) {
    this.#o = options;
    this.#memory = memory;
    this.#timeline = timeline;
    this.#isStopped = isStopped;
    this.#onRequest = onRequest;
    this.reader = new TimelineReader(timeline, []);
  }

  /** Lanes that may still be created (reserved ones count as taken). */
  room(): number {
    return this.#o.maxInterpreters - this.list.length - this.reserved;
  }

  /** A thread lane of `space` that serves nobody now, if any. */
  freeThreadLane(space: number): Lane | null {
    return (
      this.list.find(
        (l) => l.role === 'thread' && l.space === space && l.owner === null && !l.busy,
      ) ?? null
    );
  }

  async add(role: InterpreterRole, space: number, label: string): Promise<Lane> {
    this.reserved++;
    let worker: PythonWorker;
    let fresh: boolean;
    try {
      ({ worker, fresh } = await this.#o.pool.lease());
    } finally {
      this.reserved--;
    }
    if (this.#isStopped() || this.closed) {
      this.#o.pool.giveBack(worker);
      throw new Error(this.closed ? 'The run has ended' : 'Stopped');
    }
    const index = this.list.length;
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
    this.list.push(lane);
    this.reader = new TimelineReader(
      this.#timeline,
      this.list.map((l) => l.info),
    );
    if (fresh) this.#o.onStartup(this.list.length, `Started ${label}`);
    this.#o.onLanes(this.reader);
    worker.onRequest = (r) => this.#onRequest(r);
    const joined = await worker.guard(
      worker.api.join({
        thread: {
          control: this.#memory.control,
          timeline: this.#timeline,
          lane: index,
          lock: info.lock,
          data: null,
          createdAt: fresh ? worker.createdAt + performance.timeOrigin - this.reader.epoch : null,
          warmup: null,
        },
        memory: this.#memory,
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
}
