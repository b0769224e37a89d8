/**
 * Worker side of a green-thread run: ONE Pyodide interpreter runs every thread of a GIL-mode
 * program as its own call stack (green_thread.py is its `_thread`, scheduler.ts switches the
 * stacks). Booted once, kept warm; each run gets fresh `threading`, `queue`,
 * `concurrent.futures` and `__main__` modules. Plain module: Node tests load it in
 * worker_threads, the browser through green.worker.ts.
 */
import { wrap, transfer, type Remote } from 'comlink';
import type { PyodideAPI } from 'pyodide';
import type { PyBuffer, PyProxy } from 'pyodide/ffi';
import {
  afterRun,
  firstLine,
  lostMessage,
  snapshotInterpreter,
  type RestoreInterpreter,
} from '../interpreter-reset.ts';
import { importSource, loadInterpreter, preload, type SnapshotUse } from '../pyodide-loader.ts';
import { forbidClose, removeNetwork } from '../worker-scope.ts';
import { STATE, TimelineWriter, clockFor, type TimelineDescriptor } from '../../core/timeline.ts';
import {
  INTERRUPT,
  INTERVAL_US,
  SIGINT,
  OUTPUT_PENDING,
  OUTPUT_SINCE,
  absoluteNow,
  changed,
  greenControl,
  interruptBuffer,
  intervalUs,
  type GreenControl,
} from './control.ts';
import type { Blake2Params, NativeHash, NativeJobsApi } from './native-api.ts';
import { GreenScheduler, type GreenState, type PyCallable } from './scheduler.ts';
import { ProcessPools, postResults, type FromProcess, type ToProcess } from './processes.ts';

/** What booting needs. */
export interface GreenBootConfig {
  indexURL: string;
  /** The compiled pyodide.asm.wasm (shared by the page), or null to compile here. */
  wasm: WebAssembly.Module | null;
  /** A booted interpreter's memory to start from (pyodide-loader.ts); null: boot the long way. */
  snapshot?: string | null | undefined;
  /** Text of green_thread.py. */
  source: string;
  /** Text of process_pool.py (a run's `concurrent.futures.process`). */
  processPool: string;
  /** Text of shim/08_unsupported_multiprocessing.py (module `gil_lab_multiprocessing`). */
  multiprocessing: string;
  /** Discard the interpreter after a run that grew its memory past this (interpreter-reset.ts). */
  memoryLimitBytes?: number | undefined;
}

export interface GreenBootReport {
  loadMs: number;
  /** Whether the interpreter started from the snapshot, or why not. */
  snapshot: SnapshotUse;
  pythonVersion: string;
}

/** Messages a run posts while it runs (a running interpreter cannot answer calls). */
export type GreenMessage =
  | { kind: 'output'; lane: number; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'thread'; lane: number; label: string }
  /** The run's last message: everything posted before it has arrived. */
  | { kind: 'end' };

/** How a run starts. */
export interface GreenRunSetup {
  control: SharedArrayBuffer;
  timeline: TimelineDescriptor;
  source: string;
  filename: string;
  port: MessagePort;
  /** One port per native worker (hashlib, zlib without the GIL; native-api.ts); may be none. */
  native: MessagePort[];
  /** os.cpu_count() in the program: the cores its native calls can use. */
  cpuCount: number;
  /** One port per process interpreter its pools may use (processes.ts); may be none. */
  processes?: MessagePort[];
}

/** How a process interpreter serves a run's pools (greenApi.serve). */
export interface ProcessServeSetup {
  /** This interpreter's own control words (its GIL, its ticker, Stop). */
  control: SharedArrayBuffer;
  /** The parent run's: PROCESS_DONE, and the timeline's event order. */
  parentControl: SharedArrayBuffer;
  /** The parent run's timeline, and this process's lane in it. */
  timeline: TimelineDescriptor;
  lane: number;
  /** Tasks from the parent, results back (processes.ts). */
  task: MessagePort;
  /** Output and lane names to the page (GreenMessage). */
  port: MessagePort;
  source: string;
  filename: string;
  cpuCount: number;
}

export interface ProcessServeOutcome {
  /** False: the interpreter must not be reused (os._exit, a fatal error, a stack left). */
  clean: boolean;
  /** Pools it served. */
  served: number;
}

export interface GreenOutcome {
  ok: boolean;
  error: { type: string; message: string; traceback: string } | null;
  switches: number;
  threads: number;
  /**
   * False if the interpreter must not be reused: some stack did not end, or the program killed
   * it (os._exit), corrupted it (a fatal error), grew it past the memory limit, or it could not
   * be put back as it was after boot.
   */
  clean: boolean;
  /** Why it cannot be reused (null: it can). */
  reason: string | null;
  /** Native calls still running (a Stop left them): the native workers are replaced. */
  nativeInFlight: number;
}

/** Lanes in the timeline; threads after these run but are not drawn. */
export const GREEN_LANES = 32;

const OUTPUT_EVERY_MS = 16;
const OUTPUT_MAX_CHARS = 64 * 1024;

const STATE_CODE: Record<GreenState, number> = {
  waiting: STATE.waiting,
  running: STATE.running,
  blocked: STATE.blocked,
  io: STATE.io,
  native: STATE.native,
  idle: STATE.idle,
  done: STATE.done,
};

let py: PyodideAPI | null = null;
let mod: PyProxy | null = null;
/** Puts the interpreter back as it was after boot (every run starts clean, as python3 does). */
let restore: RestoreInterpreter | null = null;
let memoryLimitBytes: number | undefined;
/** `_gil_lab_sched`: its functions are bound to each run's scheduler. */
const jsModule: Record<string, unknown> = {};

/** The current run's output, batched (at most one post per 16 ms or 64 kB, and at each switch). */
class Output {
  #held: { lane: number; stream: 'stdout' | 'stderr'; text: string }[] = [];
  #chars = 0;
  #last = -Infinity;
  readonly port: MessagePort;
  readonly control: GreenControl;
  readonly lane: () => number;
  constructor(port: MessagePort, control: GreenControl, lane: () => number) {
    this.port = port;
    this.control = control;
    this.lane = lane;
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    const lane = this.lane();
    const last = this.#held.at(-1);
    if (last?.stream === stream && last.lane === lane) last.text += text;
    else this.#held.push({ lane, stream, text });
    this.#chars += text.length;
    if (this.#chars >= OUTPUT_MAX_CHARS || performance.now() - this.#last >= OUTPUT_EVERY_MS)
      this.flush();
    else if (Atomics.load(this.control.words, OUTPUT_PENDING) === 0) {
      this.control.times[OUTPUT_SINCE] = absoluteNow();
      Atomics.store(this.control.words, OUTPUT_PENDING, 1);
      changed(this.control);
    }
  }

  flush(): void {
    Atomics.store(this.control.words, OUTPUT_PENDING, 0);
    if (this.#held.length === 0) return;
    const held = this.#held;
    this.#held = [];
    this.#chars = 0;
    this.#last = performance.now();
    for (const h of held) this.port.postMessage({ kind: 'output', ...h } satisfies GreenMessage);
  }
}

let output: Output | null = null;
let scheduler: GreenScheduler | null = null;

/** A copy of a Python buffer's bytes (a C-contiguous memoryview cast to 'B'), for another worker. */
function bytesOf(data: PyProxy | null | undefined): Uint8Array | null {
  if (data === null || data === undefined) return null;
  const view = (data as PyBuffer).getBuffer('u8');
  try {
    return (view.data as Uint8Array).slice();
  } finally {
    view.release();
  }
}

/**
 * The run's native workers as the green worker calls them. A hash object stays on the worker
 * that holds its state; any other call goes to the one with the fewest calls in flight.
 */
class NativeWorkers {
  readonly #apis: Remote<NativeJobsApi>[];
  readonly #ports: MessagePort[];
  readonly #busy: number[];
  readonly #home = new Map<number, number>();
  constructor(ports: MessagePort[]) {
    this.#ports = ports;
    this.#apis = ports.map((p) => wrap<NativeJobsApi>(p));
    this.#busy = ports.map(() => 0);
  }

  get available(): boolean {
    return this.#apis.length > 0;
  }

  #pick(): number {
    let best = 0;
    for (let i = 1; i < this.#busy.length; i++) if (this.#busy[i]! < this.#busy[best]!) best = i;
    return best;
  }

  /** Runs `call` on worker `i` (counted busy until it answers). */
  #on<T>(i: number, call: (api: Remote<NativeJobsApi>) => Promise<T>): Promise<T> {
    this.#busy[i]!++;
    return call(this.#apis[i]!).finally(() => this.#busy[i]!--);
  }

  hash(id: number, call: (api: Remote<NativeJobsApi>) => Promise<unknown>): Promise<unknown> {
    let i = this.#home.get(id);
    if (i === undefined) this.#home.set(id, (i = this.#pick()));
    return this.#on(i, call);
  }

  any(call: (api: Remote<NativeJobsApi>) => Promise<unknown>): Promise<unknown> {
    return this.#on(this.#pick(), call);
  }

  copy(from: number, to: number): void {
    const i = this.#home.get(from);
    if (i === undefined) return;
    this.#home.set(to, i);
    void this.#apis[i]!.hashCopy(from, to).catch(() => undefined);
  }

  free(id: number): void {
    const i = this.#home.get(id);
    if (i === undefined) return;
    this.#home.delete(id);
    void this.#apis[i]!.hashFree(id).catch(() => undefined);
  }

  close(): void {
    for (const p of this.#ports) p.close();
  }
}

/** hashlib.blake2b / blake2s keywords as the native worker takes them (null: other hashes). */
function blake2Params(
  digestSize: number | undefined,
  key: PyProxy | null | undefined,
  salt: PyProxy | null | undefined,
  person: PyProxy | null | undefined,
): Blake2Params | null {
  if (digestSize === undefined || digestSize === null) return null;
  return { digestSize, key: bytesOf(key), salt: bytesOf(salt), person: bytesOf(person) };
}

/** Sends `data` to another worker: transferred, since it is a copy anyway. */
function sent(data: Uint8Array | null): Uint8Array | null {
  return data === null ? null : transfer(data, [data.buffer as ArrayBuffer]);
}

function writer(stream: 'stdout' | 'stderr'): { write(b: Uint8Array): number; isatty: boolean } {
  const decoder = new TextDecoder();
  return {
    isatty: true,
    write(bytes) {
      const text = decoder.decode(bytes, { stream: true });
      if (text !== '' && output !== null && !(stream === 'stdout' && scheduler?.stopped === true))
        output.write(stream, text);
      return bytes.length;
    },
  };
}

function need(): { py: PyodideAPI; mod: PyProxy } {
  if (py === null || mod === null) throw new Error('green python worker used before boot()');
  return { py, mod };
}

/** What one program run in this interpreter needs: a whole program's, or a pool process's. */
interface ProgramSetup {
  control: SharedArrayBuffer;
  /** Whose control words count the timeline's events (default `control`). */
  seq?: SharedArrayBuffer;
  timeline: TimelineDescriptor;
  port: MessagePort;
  native: MessagePort[];
  cpuCount: number;
  /** Thread `tid`'s timeline lane (-1: not drawn). */
  lane(tid: number): number;
  /** The name the page shows for the lane of thread `tid`, named `label` in Python. */
  label(tid: number, label: string): string;
  /** The lane the output of thread `tid` shows in. */
  outputLane(tid: number): number;
  /** Starts the main stack (green_thread.py's run_main or run_process). */
  entry(m: PyProxy): Promise<unknown>;
  /** More of `_gil_lab_sched` for this run. */
  functions(s: GreenScheduler): Record<string, unknown>;
  /** After the run (its stacks ended or abandoned). */
  finally?: () => void;
}

/** Runs a program (or a process); resolves when its main thread and every other stack have ended. */
async function runProgram(setup: ProgramSetup): Promise<GreenOutcome> {
  const { py: p, mod: m } = need();
  const control = greenControl(setup.control);
  const now = clockFor(setup.timeline.epoch);
  // The timeline's order of events across lanes: one counter for the run, processes included.
  const seqWords = greenControl(setup.seq ?? setup.control).words;
  const nextSeq = (): number => Atomics.add(seqWords, 31, 1);
  const writers = new Map<number, TimelineWriter>();
  let threads = 0;
  const lane = setup.lane;
  const s = new GreenScheduler(control, {
    now: absoluteNow,
    record(tid, state) {
      let w = writers.get(tid);
      if (w === undefined && lane(tid) >= 0) {
        w = new TimelineWriter(setup.timeline, lane(tid), now, nextSeq);
        writers.set(tid, w);
      }
      w?.record(STATE_CODE[state], tid === 0 ? 0 : -1);
    },
    onThread(tid, label) {
      threads = Math.max(threads, tid + 1);
      const l = lane(tid);
      if (l >= 0)
        setup.port.postMessage({ kind: 'thread', lane: l, label: setup.label(tid, label) });
    },
    onDeadlock(report) {
      out.flush();
      setup.port.postMessage({
        kind: 'output',
        lane: 0,
        stream: 'stderr',
        text: `Every thread is waiting: deadlock. CPython would hang here forever.\n${report}\n`,
      } satisfies GreenMessage);
    },
    onSwitch: () => out.flush(),
  });
  const out = new Output(setup.port, control, () => setup.outputLane(s.current ?? 0));
  const natives = new NativeWorkers(setup.native);
  scheduler = s;
  output = out;
  for (const k of Object.keys(jsModule)) delete jsModule[k];
  Object.assign(jsModule, {
    new_thread: () => s.newThread(),
    spawn: (tid: number, body: PyCallable, daemon: boolean) => s.spawn(tid, body, daemon),
    block: (tid: number, ms: number, kind: 'blocked' | 'io', where: string, token: number) =>
      s.block(tid, ms, kind, where, token),
    wake: (tid: number, token: number) => s.wake(tid, token),
    yield_gil: (tid: number) => s.yieldGil(tid),
    switch_request: (tid: number, canSwitch: boolean) => s.switchRequest(tid, canSwitch),
    stop_requested: () => s.stop(),
    flush_output: () => out.flush(),
    write: (stream: 'stdout' | 'stderr', text: string) => {
      if (text !== '' && !(stream === 'stdout' && s.stopped)) out.write(stream, text);
    },
    set_name: (tid: number, name: string) => s.setName(tid, name),
    set_switch_interval: (seconds: number) => {
      Atomics.store(control.words, INTERVAL_US, intervalUs(seconds));
      changed(control);
    },
    get_switch_interval: () => Atomics.load(control.words, INTERVAL_US) / 1e6,
    process_time: () => s.processTime(),
    cpu_start: (tid: number) => s.cpuStart(tid),
    cpu_stop: (tid: number) => s.cpuStop(tid),
    thread_time: (tid: number) => s.threadTime(tid),
    cpu_count: () => setup.cpuCount,
    // Native calls (green_thread.py's hashlib and zlib): each returns the promise the calling
    // thread suspends on; native_result() then hands it the reply.
    native_ready: () => natives.available && !s.stopped,
    native_result: (tid: number) => s.nativeResult(tid),
    hash_new: (
      tid: number,
      id: number,
      algo: NativeHash,
      data: PyProxy,
      digestSize?: number,
      key?: PyProxy | null,
      salt?: PyProxy | null,
      person?: PyProxy | null,
    ) => {
      const bytes = bytesOf(data);
      const params = blake2Params(digestSize, key, salt, person);
      return s.native(tid, () =>
        natives.hash(id, (api) => api.hashNew(id, algo, params, sent(bytes))),
      );
    },
    hash_update: (tid: number, id: number, data: PyProxy) => {
      const bytes = bytesOf(data)!;
      return s.native(tid, () => natives.hash(id, (api) => api.hashUpdate(id, sent(bytes)!)));
    },
    hash_digest: (tid: number, id: number) =>
      s.native(tid, () => natives.hash(id, (api) => api.hashDigest(id))),
    hash_copy: (from: number, to: number) => natives.copy(from, to),
    hash_free: (id: number) => natives.free(id),
    zlib_compress: (tid: number, data: PyProxy, level: number) => {
      const bytes = bytesOf(data)!;
      return s.native(tid, () => natives.any((api) => api.compress(sent(bytes)!, level)));
    },
    zlib_decompress: (tid: number, data: PyProxy) => {
      const bytes = bytesOf(data)!;
      return s.native(tid, () => natives.any((api) => api.decompress(sent(bytes)!)));
    },
    stopped: () => s.stopped,
    buffer: (n: number) => new Uint8Array(n),
    ...setup.functions(s),
  });
  p.setInterruptBuffer(interruptBuffer(control));
  let result: { ok: boolean; error: GreenOutcome['error'] };
  // Set when Pyodide itself failed (the shim catches every Python exception): os._exit ended
  // it, or a fatal error (a stack overflow, say) corrupted it. It is never reused.
  let failure: string | null = null;
  let clean = false;
  try {
    (m['_install'] as () => void)();
    const proxy = (await s.runMain(() => setup.entry(m))) as PyProxy;
    result = proxy.toJs({ dict_converter: Object.fromEntries }) as typeof result;
    proxy.destroy();
    clean = await Promise.race([
      s.allDone.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
    ]);
    if (s.deadlocked)
      result = {
        ok: false,
        error: { type: 'Deadlock', message: 'every thread is waiting: deadlock', traceback: '' },
      };
  } catch (e) {
    failure = firstLine(e) || 'Pyodide failed';
    const message = lostMessage(failure);
    result = {
      ok: false,
      error: { type: 'InterpreterExited', message, traceback: `InterpreterExited: ${message}\n` },
    };
  } finally {
    try {
      if (failure === null) (m['_restore'] as () => void)();
    } catch (e) {
      failure = `could not be reset: ${firstLine(e)}`;
    }
    out.flush();
    setup.port.postMessage({ kind: 'end' } satisfies GreenMessage);
    try {
      (p.setInterruptBuffer as unknown as (b: undefined) => void)(undefined);
    } catch {
      // Pyodide has exited: `failure` already says the interpreter is not reusable.
    }
    output = null;
    scheduler = null;
    natives.close();
    setup.finally?.();
  }
  // A stack that never ended keeps its frames: such an interpreter is not put back either.
  const health = afterRun(
    p,
    restore,
    clean ? failure : (failure ?? 'a thread did not end'),
    memoryLimitBytes,
  );
  return {
    ...result,
    switches: s.switches,
    threads,
    clean: health.reusable,
    reason: health.reason,
    nativeInFlight: s.nativeInFlight,
  };
}

/** The worker API exposed with comlink. */
export const greenApi = {
  ping(): boolean {
    return true;
  },

  /**
   * Starts loading Pyodide's JavaScript and the snapshot (pyodide-loader.ts preload()) while the
   * page still compiles the wasm; boot() then finds them under way.
   */
  preload(indexURL: string, snapshot: string | null): void {
    preload(indexURL, snapshot);
  },

  async boot(config: GreenBootConfig): Promise<GreenBootReport> {
    const t0 = performance.now();
    const loaded = await loadInterpreter(config.indexURL, config.wasm, config.snapshot ?? null);
    py = loaded.py;
    py.setStdout(writer('stdout'));
    py.setStderr(writer('stderr'));
    py.registerJsModule('_gil_lab_sched', jsModule);
    // What multiprocessing says (the shim's part too), imported by green_thread.py.
    py.FS.writeFile('/home/pyodide/gil_lab_multiprocessing.py', config.multiprocessing);
    // Where green_thread.py's import hook finds it (a path that reads well in tracebacks).
    py.FS.mkdirTree('/lib/gil_lab/concurrent/futures');
    py.FS.writeFile('/lib/gil_lab/concurrent/futures/process.py', config.processPool);
    // Compiled into the snapshot when it is this text (scripts/python-snapshot.mjs).
    mod = importSource(py, 'green_thread', '/home/pyodide/green_thread.py', config.source);
    restore = snapshotInterpreter(py);
    memoryLimitBytes = config.memoryLimitBytes;
    // Pyodide has fetched its files: from here on the worker makes no request (worker-scope.ts).
    removeNetwork();
    forbidClose();
    return {
      loadMs: performance.now() - t0,
      snapshot: loaded.snapshot,
      pythonVersion: py.runPython('import sys; sys.version.split()[0]') as string,
    };
  },

  /** Runs a program; resolves when its main thread and every other stack have ended. */
  run(setup: GreenRunSetup): Promise<GreenOutcome> {
    let pools: ProcessPools | null = null;
    return runProgram({
      control: setup.control,
      timeline: setup.timeline,
      port: setup.port,
      native: setup.native,
      cpuCount: setup.cpuCount,
      lane: (tid) => (tid < GREEN_LANES ? tid : -1),
      label: (_tid, label) => label,
      outputLane: (tid) => tid,
      entry: (m) => (m['run_main'] as PyCallable).callPromising(setup.source, setup.filename),
      functions: (s) => {
        const ps = new ProcessPools(setup.processes ?? [], greenControl(setup.control), {
          wake: (tid, token, since) => s.wake(tid, token, since),
          kick: () => s.kick(),
        });
        pools = ps;
        s.outsideBusy = () => ps.busy;
        return {
          // Bytes arrive as Uint8Arrays (green_thread.py's _js_bytes).
          proc_open: (pool: number, want: number, init: Uint8Array | undefined) =>
            ps.open(pool, want, init ?? null),
          proc_room: (pool: number) => ps.room(pool),
          proc_send: (pool: number, count: number, blob: Uint8Array) => ps.send(pool, count, blob),
          proc_take: (pool: number) => ps.take(pool),
          proc_broken: (pool: number) => ps.broken(pool),
          proc_wait: (pool: number, tid: number, token: number) => ps.wait(pool, tid, token),
          proc_close: (pool: number) => ps.close(pool),
        };
      },
      finally: () => (pools as ProcessPools | null)?.end(),
    });
  },

  /**
   * A pool's process (processes.ts): serves the pools the parent starts on `setup.task`, one
   * after another, each in a fresh interpreter (reset between them, as a new process would be),
   * until the parent closes the run. Its output and its main thread's lane go to the page.
   */
  async serve(setup: ProcessServeSetup): Promise<ProcessServeOutcome> {
    const task = setup.task;
    const parent = greenControl(setup.parentControl);
    type Queued = { end: true } | { end: false; blob: Uint8Array };
    type Start = { label: string; init: Uint8Array | null };
    let queue: Queued[] = [];
    let waiter: { tid: number; token: number } | null = null;
    let current: GreenScheduler | null = null;
    let closed = false;
    let started: ((m: Start | null) => void) | null = null;
    const starts: Start[] = [];
    const arrived = (): void => {
      const w = waiter;
      const s = current;
      if (w === null || s === null) return;
      waiter = null;
      s.wake(w.tid, w.token);
      s.kick();
    };
    task.onmessage = (e: MessageEvent<ToProcess>) => {
      const m = e.data;
      if (m.kind === 'start') {
        starts.push({ label: m.label, init: m.init });
        if (started !== null) started(starts.shift()!);
      } else if (m.kind === 'tasks') {
        queue.push({ end: false, blob: m.blob });
        arrived();
      } else {
        if (m.kind === 'close') {
          closed = true;
          started?.(null);
        }
        queue.push({ end: true });
        arrived();
      }
    };
    let served = 0;
    try {
      for (;;) {
        const next =
          starts.shift() ?? (closed ? null : await new Promise<Start | null>((r) => (started = r)));
        started = null;
        if (next === null) return { clean: true, served };
        queue = queue.filter((q) => !q.end);
        served++;
        const outcome = await runProgram({
          control: setup.control,
          seq: setup.parentControl,
          timeline: setup.timeline,
          port: setup.port,
          native: [],
          cpuCount: setup.cpuCount,
          lane: (tid) => (tid === 0 ? setup.lane : -1),
          label: () => next.label,
          outputLane: () => setup.lane,
          entry: (m) =>
            (m['run_process'] as PyCallable).callPromising(
              setup.source,
              setup.filename,
              next.init ?? undefined,
            ),
          functions: (s) => {
            current = s;
            // The parent may send another task at any time: waiting for one is no deadlock.
            s.outsideBusy = () => true;
            return {
              // undefined: None in Python (null would be JsNull).
              task_next: () => queue.shift(),
              task_more: () => queue.length > 0,
              task_waiter: (tid: number, token: number) => {
                waiter = { tid, token };
                if (queue.length > 0) arrived();
              },
              task_done: (blob: Uint8Array, count: number, ms: number, at: number) =>
                postResults(task, parent, blob, count, ms, at),
              now: () => absoluteNow(),
            };
          },
          finally: () => {
            current = null;
            waiter = null;
          },
        });
        if (!outcome.ok || !outcome.clean) {
          task.postMessage({
            kind: 'broken',
            reason: outcome.error?.message ?? outcome.reason ?? 'the process ended',
          } satisfies FromProcess);
          return { clean: outcome.clean, served };
        }
        task.postMessage({ kind: 'ended' } satisfies FromProcess);
      }
    } finally {
      task.onmessage = null;
    }
  },

  /** Stop when the interpreter is idle (all stacks waiting); a running one gets SIGINT too. */
  stop(): void {
    if (scheduler === null || output === null) return;
    // This call runs only while every stack waits: the SIGINT the page raised would land in
    // whichever stack resumes first, maybe in the middle of a thread's start; the stacks unwind
    // anyway (scheduler.stop()), so it is taken back.
    Atomics.compareExchange(output.control.words, INTERRUPT, SIGINT, 0);
    scheduler.stop();
  },
};

export type GreenApi = typeof greenApi;
