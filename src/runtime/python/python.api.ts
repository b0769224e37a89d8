/**
 * The code inside a Python worker: one Pyodide interpreter, booted once and kept warm across
 * runs, joining each run with that run's shared memory. Plain module (Node tests load it in
 * worker_threads). runMain and runTask are synchronous: while Python runs, this worker's event
 * loop is blocked, which is why everything that must reach a running interpreter (switch
 * requests, results, Stop) travels through shared memory.
 */
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import { RunBridge } from './bridge.ts';
import {
  afterRun,
  firstLine,
  lostMessage,
  snapshotInterpreter,
  type RestoreInterpreter,
} from './interpreter-reset.ts';
import { DELIVERY, encodeError } from './mailbox.ts';
import { markOutputPending, signalSlot } from './memory.ts';
import { loadInterpreter } from './pyodide-loader.ts';
import { forbidClose, holdAliveLock, removeNetwork } from './worker-scope.ts';
import type {
  BootConfig,
  BootReport,
  InterpreterReport,
  InterpreterRequest,
  InterpreterSetup,
  PythonOutcome,
  TaskOutcome,
  TaskSpec,
} from './protocol.ts';
import { STATE } from '../core/timeline.ts';

let py: PyodideAPI | null = null;
let shim: PyProxy | null = null;
let port: MessagePort | null = null;
let run: RunBridge | null = null;
let tasks = 0;
/** Puts the interpreter back as it was after boot (interpreter-reset.ts). */
let restore: RestoreInterpreter | null = null;
let memoryLimitBytes: number | undefined;
/**
 * Set when a call into Python threw instead of returning an outcome (the shim catches every
 * Python exception, so this is Pyodide itself failing: os._exit, a fatal error). Such an
 * interpreter is never reused.
 */
let failure: string | null = null;
/** The object registered as `_gil_lab_js`; its functions are swapped for each run's bridge. */
const jsModule: Record<string, unknown> = {};

/** Output held back is posted at most once per this many ms … */
const OUTPUT_EVERY_MS = 16;
/** … or as soon as this many characters are held back. */
const OUTPUT_MAX_CHARS = 64 * 1024;

/**
 * Output held back, in the order it was written (consecutive writes to one stream merged).
 * Posting every write (one message per printed line) let a print loop post faster than the page
 * takes messages, a backlog that Stop had to wait for; batching keeps the page ahead.
 */
let held: { stream: 'stdout' | 'stderr'; text: string }[] = [];
let heldChars = 0;
let lastOutputAt = -Infinity;

/** Posts the output held back (dropping stdout once the run is stopped, as the page does). */
function flushOutput(): void {
  if (held.length === 0) return;
  const chunks = held;
  held = [];
  heldChars = 0;
  lastOutputAt = performance.now();
  if (run === null) return;
  markOutputPending(run.setup.memory, run.setup.lane, false);
  const stopped = run.cancelled;
  for (const { stream, text } of chunks)
    if (!stopped || stream === 'stderr')
      port?.postMessage({ kind: 'output', lane: run.setup.lane, stream, text });
}

/** Posts a request, after the output written before it. */
function post(request: InterpreterRequest): void {
  flushOutput();
  port?.postMessage(request);
}

/**
 * A stdout/stderr writer that streams text to the coordinator, tagged with this run's lane, in
 * batches: at most one post per OUTPUT_EVERY_MS or OUTPUT_MAX_CHARS. Output held back is posted
 * before any request, whenever the interpreter blocks or hands the GIL over (bridge.ts), at the
 * end of each call, and when the coordinator asks for it (SIGUSR2, while Python only computes).
 */
function writer(stream: 'stdout' | 'stderr'): { write(b: Uint8Array): number; isatty: boolean } {
  const decoder = new TextDecoder();
  return {
    // A "terminal", so Python line-buffers and output streams while the program runs.
    isatty: true,
    write(bytes) {
      const text = decoder.decode(bytes, { stream: true });
      if (run === null || text === '') return bytes.length;
      if (stream === 'stdout' && run.cancelled) return bytes.length; // the page drops it anyway
      const last = held.at(-1);
      if (last?.stream === stream) last.text += text;
      else held.push({ stream, text });
      heldChars += text.length;
      if (heldChars >= OUTPUT_MAX_CHARS || performance.now() - lastOutputAt >= OUTPUT_EVERY_MS)
        flushOutput();
      else markOutputPending(run.setup.memory, run.setup.lane, true);
      return bytes.length;
    },
  };
}

/**
 * time.perf_counter() / monotonic() in ms: one clock across workers (absolute time, counted from
 * the coordinator's `base`), never going back in this interpreter.
 */
function sharedClock(base: number): () => number {
  let last = 0;
  return () => {
    const t = performance.timeOrigin + performance.now() - base;
    if (t > last) last = t;
    return last;
  };
}

function need(): { py: PyodideAPI; shim: PyProxy; run: RunBridge } {
  if (py === null || shim === null) throw new Error('python worker used before boot()');
  if (run === null) throw new Error('python worker used before join()');
  if (failure !== null) throw new Error(`This interpreter can no longer run Python: ${failure}`);
  return { py, shim, run };
}

/**
 * Runs a call into Python; if Pyodide itself fails (os._exit ends it, a fatal error corrupts it),
 * records that the interpreter is lost and returns the outcome the reader sees instead.
 */
function guarded<T>(call: () => T, lost: (message: string) => T): T {
  try {
    return call();
  } catch (e) {
    failure = firstLine(e) || 'Pyodide failed';
    return lost(lostMessage(failure));
  }
}

function lostOutcome(message: string): PythonOutcome {
  const type = 'InterpreterExited';
  return { ok: false, error: { type, message, traceback: `${type}: ${message}\n` } };
}

/** Calls a shim function returning a Python outcome dict, as plain data. */
function outcome(fn: () => PyProxy): PythonOutcome {
  const proxy = fn();
  try {
    return proxy.toJs({ dict_converter: Object.fromEntries }) as PythonOutcome;
  } finally {
    proxy.destroy();
  }
}

/** Runs one task in the shim, as plain data. */
function runTask(s: PyProxy, task: TaskSpec): TaskOutcome {
  const proxy = (s['run_task'] as (...a: unknown[]) => PyProxy)(
    task.kind,
    task.payload,
    task.name,
    task.executor?.id ?? 0,
    task.executor?.initializer ?? undefined,
    task.threadName ?? undefined,
  );
  try {
    const [status, payload] = proxy.toJs() as [number, Uint8Array];
    return { fid: task.fid, status, payload };
  } finally {
    proxy.destroy();
  }
}

/** The worker API exposed with comlink. */
export const api = {
  ping(): boolean {
    return true;
  },

  /** Loads Pyodide and the shim; afterwards the interpreter can join runs. */
  async boot(config: BootConfig): Promise<BootReport> {
    const t0 = performance.now();
    port = config.port;
    await holdAliveLock(config.aliveLock);
    forbidClose();
    const loaded = await loadInterpreter(config.indexURL, config.wasm, config.snapshot ?? null);
    py = loaded.py;
    // Pyodide has fetched its files: from here on the worker makes no request (worker-scope.ts).
    removeNetwork();
    const t1 = performance.now();
    py.setStdout(writer('stdout'));
    py.setStderr(writer('stderr'));
    jsModule['clock_ms'] = sharedClock(config.clockBase);
    py.registerJsModule('_gil_lab_js', jsModule);
    py.FS.writeFile('/home/pyodide/gil_lab_shim.py', config.shimSource);
    shim = py.pyimport('gil_lab_shim') as PyProxy;
    (shim['install'] as (cpu: number) => void)(globalThis.navigator?.hardwareConcurrency ?? 1);
    restore = snapshotInterpreter(py);
    memoryLimitBytes = config.memoryLimitBytes;
    return {
      loadMs: t1 - t0,
      snapshot: loaded.snapshot,
      shimMs: performance.now() - t1,
      pythonVersion: py.runPython('import sys; sys.version.split()[0]') as string,
    };
  },

  /**
   * Joins a run: this run's GIL, memory, lane and a fresh module namespace. The main program's
   * interpreter stops there; the others import the program (without running its `__main__` part).
   */
  join(setup: InterpreterSetup): PythonOutcome {
    if (py === null || shim === null) throw new Error('python worker used before boot()');
    if (failure !== null) throw new Error(`This interpreter can no longer run Python: ${failure}`);
    run = new RunBridge(setup, post, flushOutput);
    Object.assign(jsModule, run.module);
    tasks = 0;
    // A run's first output is posted at once, however recently the previous run posted: held
    // back, it could wait behind a long C call (no SIGUSR2 can run inside one).
    lastOutputAt = -Infinity;
    py.setInterruptBuffer(signalSlot(setup.memory, setup.lane));
    const it = run.interp;
    if (setup.thread.createdAt !== null) it.record(STATE.starting, setup.thread.createdAt);
    it.record(STATE.idle);
    const s = shim;
    return guarded(
      () =>
        outcome(() =>
          (s['join'] as (json: string, source: string) => PyProxy)(
            JSON.stringify({
              lane: setup.lane,
              label: setup.label,
              role: setup.role,
              space: setup.space,
              mode: setup.mode,
              filename: setup.filename,
              cpu_count: setup.cpuCount,
              max_interpreters: setup.maxInterpreters,
            }),
            setup.source,
          ),
        ),
      lostOutcome,
    );
  },

  /** Runs the program as `__main__` (then waits for its threads, as CPython does at exit). */
  runMain(): PythonOutcome {
    const { shim: s, run: r } = need();
    r.interp.beginTask(0);
    try {
      return guarded(() => outcome(() => (s['run_main'] as () => PyProxy)()), lostOutcome);
    } finally {
      flushOutput();
      r.interp.endTask();
    }
  },

  /** Runs one thread or executor task; the GIL is held exactly while Python code runs. */
  runTask(task: TaskSpec): TaskOutcome {
    const { shim: s, run: r } = need();
    tasks++;
    r.interp.beginTask(task.fid);
    try {
      // An interpreter the task ended: the task failed, and the page learns why (`ended`), since
      // os._exit or a fatal error in a thread ends the whole program.
      return guarded(
        () => runTask(s, task),
        (message) => ({
          fid: task.fid,
          status: DELIVERY.error,
          payload: encodeError(message),
          ended: failure ?? message,
        }),
      );
    } finally {
      flushOutput();
      r.interp.endTask();
    }
  },

  /** Leaves the run: records `done`, puts the interpreter back as it was (or says it cannot be reused), and forgets the run's memory. Never throws. */
  leave(): InterpreterReport {
    const health = afterRun(py, restore, failure, memoryLimitBytes);
    const report: InterpreterReport = {
      lane: run?.setup.lane ?? -1,
      tasks,
      handoffsUs: run?.interp.gil?.handoffsUs ?? [],
      ...health,
    };
    run?.interp.record(STATE.done);
    flushOutput();
    post({ kind: 'left', lane: report.lane });
    try {
      (py?.setInterruptBuffer as ((b: undefined) => void) | undefined)?.(undefined);
    } catch {
      // Pyodide has exited: the report already says the interpreter is not reusable.
    }
    run = null;
    return report;
  },

  /** Bench helper: ms for `countdown(n)` here, with or without the eval-breaker hook installed. */
  countdownMs(n: number, withHook: boolean): number {
    if (py === null || shim === null) throw new Error('python worker used before boot()');
    // The hook's cost is Pyodide polling its interrupt buffer; without one it never polls.
    const setBuffer = py.setInterruptBuffer as (b: Int32Array | undefined) => void;
    setBuffer(withHook ? new Int32Array(new SharedArrayBuffer(4)) : undefined);
    try {
      return (shim['countdown_ms'] as (n: number) => number)(n);
    } finally {
      setBuffer(undefined);
    }
  },
};

/** The API type the coordinator wraps with comlink. */
export type PythonApi = typeof api;
