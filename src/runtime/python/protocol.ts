/**
 * What the page-side coordinator and the interpreters' workers say to each other. Calls go
 * through comlink (coordinator → worker); requests an interpreter makes while it runs (start a
 * thread, wait for a future, print) go through a MessagePort the worker got at boot, since a
 * running interpreter cannot return to its event loop. Everything here is structured-clone data.
 */
import type { ThreadSetup } from '../core/interp.ts';
import type { ThreadMode } from '../core/mode.ts';
import type { PythonMemory } from './memory.ts';
import type { SnapshotUse } from './pyodide-loader.ts';

/** What an interpreter is in this run. */
export type InterpreterRole = 'main' | 'thread' | 'process';

/** Everything a worker needs to boot its interpreter. */
export interface BootConfig {
  /** Where pyodide.mjs, pyodide.asm.mjs and python_stdlib.zip live (URL, or a path in Node). */
  indexURL: string;
  /** The compiled pyodide.asm.wasm to instantiate, shared by all workers; null: compile here. */
  wasm: WebAssembly.Module | null;
  /** Text of the shim module `gil_lab_shim` (shim-bundle.ts). */
  shimSource: string;
  /** A booted interpreter's memory to start from (pyodide-loader.ts); null: boot the long way. */
  snapshot?: string | null | undefined;
  /** Where the worker posts InterpreterRequests. */
  port: MessagePort;
  /**
   * The coordinator's performance.timeOrigin: time.perf_counter() / monotonic() in every
   * interpreter count seconds since then, one clock for all (each worker's performance.now()
   * counts from its own start).
   */
  clockBase: number;
  /**
   * A Web Lock name the worker holds for its whole life: the page asks for the same lock, and is
   * granted it when the worker is gone (closed, crashed or terminated). Absent: no lock.
   */
  aliveLock?: string | undefined;
  /** After a run, an interpreter whose memory grew past this many bytes is not reused. */
  memoryLimitBytes?: number | undefined;
}

/** What booting took, ms. */
export interface BootReport {
  loadMs: number;
  /** Whether the interpreter started from the snapshot, or why not. */
  snapshot: SnapshotUse;
  shimMs: number;
  pythonVersion: string;
}

/** How an interpreter joins a run. */
export interface InterpreterSetup {
  thread: ThreadSetup;
  memory: PythonMemory;
  mailbox: SharedArrayBuffer;
  lane: number;
  label: string;
  role: InterpreterRole;
  /** Address space: 0 for the main program and its threads, its own for each process. */
  space: number;
  mode: ThreadMode;
  /** The program, and the file name its tracebacks show. */
  source: string;
  filename: string;
  /** os.cpu_count() for default pool sizes. */
  cpuCount: number;
  maxInterpreters: number;
}

/** How running (or importing) Python code ended. */
export interface PythonOutcome {
  ok: boolean;
  error: PythonError | null;
}

/** An uncaught Python exception. */
export interface PythonError {
  type: string;
  message: string;
  /** The full traceback text, as Python prints it. */
  traceback: string;
}

/** One task for a thread or process interpreter. */
export interface TaskSpec {
  fid: number;
  /** 'thread': payload is a pickled threading.Thread to run(); 'call': pickled (fn, args, kwargs). */
  kind: 'thread' | 'call';
  payload: Uint8Array;
  /** The Thread's name, or the called function's name (for messages about the task). */
  name: string;
  /**
   * threading.current_thread().name while an executor call runs, as CPython names a pool's
   * threads: `${thread_name_prefix}_${n}` (null: the lane's own label; a Thread uses its name).
   */
  threadName?: string | null;
  /** Executor whose initializer must run first in this interpreter, with its pickled (fn, args). */
  executor: { id: number; initializer: Uint8Array | null } | null;
}

/** What a task gave back (payload as for mailbox deliveries). */
export interface TaskOutcome {
  fid: number;
  status: number;
  payload: Uint8Array;
  /**
   * Set when the task ended its interpreter (os._exit, a fatal error): why, as Pyodide said it.
   * In a thread, that ends the whole program, as in CPython.
   */
  ended?: string;
}

/** What an interpreter reports when it leaves a run. */
export interface InterpreterReport {
  lane: number;
  tasks: number;
  handoffsUs: number[];
  /**
   * False when the interpreter must not serve another run: the run killed it (os._exit), left it
   * corrupted (a fatal error), grew it past the memory limit, or it could not be reset. Absent:
   * reusable (older workers).
   */
  reusable?: boolean;
  /** Why it is not reusable. */
  reason?: string | null;
  /** Its WebAssembly memory after the run, bytes. */
  heapBytes?: number;
}

/** Requests an interpreter posts while it runs. */
export type InterpreterRequest =
  | { kind: 'output'; lane: number; stream: 'stdout' | 'stderr'; text: string }
  | {
      kind: 'executor';
      lane: number;
      id: number;
      pool: 'thread' | 'process';
      maxWorkers: number;
      /** max_workers was given explicitly (so a shortfall is worth a warning). */
      explicit: boolean;
      prefix: string;
      initializer: Uint8Array | null;
    }
  | {
      kind: 'submit';
      lane: number;
      fid: number;
      /** null: a threading.Thread of its own. */
      executor: number | null;
      call: 'thread' | 'call';
      payload: Uint8Array;
      name: string;
      daemon: boolean;
    }
  | { kind: 'shutdown'; lane: number; executor: number }
  | { kind: 'await'; lane: number; token: number; fids: number[] }
  | { kind: 'unawait'; lane: number; token: number }
  /** The interpreter's last message of a run: everything it posted before has arrived. */
  | { kind: 'left'; lane: number };
