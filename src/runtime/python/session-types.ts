/**
 * The records a Python session keeps: what it needs from the runner, one interpreter (lane) of
 * the run, one task (a Thread's run() or an executor call) and one executor's pool.
 */
import type { LaneInfo, TimelineReader } from '../core/timeline.ts';
import type { InterpreterPool, PythonWorker } from './interpreters.ts';
import type { Delivery } from './mailbox.ts';
import type { ThreadMode } from '../core/mode.ts';
import type { InterpreterReport, InterpreterRole, TaskSpec } from './protocol.ts';

/** Everything a session needs from the runner. */
export interface SessionOptions {
  pool: InterpreterPool;
  source: string;
  filename: string;
  mode: ThreadMode;
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

/** A threading.Thread's run() or an executor call, from submit to its result. */
export interface Task {
  fid: number;
  spec: TaskSpec;
  daemon: boolean;
  done: boolean;
}

/** An executor's pool: its interpreters and the tasks queued for them. */
export interface Pool {
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
  /**
   * A process pool one of whose processes died (os._exit, a fatal error): as in CPython, its
   * pending tasks and every later one fail with BrokenProcessPool.
   */
  broken: boolean;
}
