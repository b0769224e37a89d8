/**
 * Page side of GIL mode with green threads: ONE warm interpreter runs every thread of a
 * program (they share every object, as in CPython), and a tiny ticker worker delivers the
 * drop requests of the GIL model (control.ts). Used by createPythonRunner when the engine has
 * JavaScript Promise Integration (`WebAssembly.Suspending`); otherwise the runner falls back to
 * one interpreter per thread.
 */
import { transfer, wrap, type Remote } from 'comlink';
import {
  WarmPool,
  WorkerShell,
  type WorkerFactory,
  type WorkerHandle,
} from '../../core/worker-shell.ts';
import { concurrentMs, inEventOrder, lockHeldShare } from '../../core/stats.ts';
import {
  createTimeline,
  TimelineReader,
  type LaneInfo,
  type TimelineDescriptor,
} from '../../core/timeline.ts';
import type { PythonProgress, RuntimeAssets } from '../assets.ts';
import type { PythonRunResult } from '../result.ts';
import type { SnapshotUse } from '../pyodide-loader.ts';
import {
  CLOSED,
  INTERRUPT,
  SIGINT,
  RAISED_AT,
  STOP,
  STOP_ASKED,
  absoluteNow,
  changed,
  createGreenControl,
  type GreenControl,
} from './control.ts';
import type { NativeApi } from './native-api.ts';
import {
  GREEN_LANES,
  type GreenApi,
  type GreenMessage,
  type GreenOutcome,
  type ProcessServeOutcome,
} from './worker-api.ts';
import { MAX_PROCESSES, processesFor } from '../../python-needs.ts';
import { probesIn, warmUpProgram } from './warm-up.ts';
import { EvalLoopWarmth, timesItself } from './warmth.ts';

/**
 * The Python the green worker loads: its `_thread`, a run's `concurrent.futures.process`, and what
 * multiprocessing says (the other engine's shim part, shim/08_unsupported_multiprocessing.py).
 */
export interface GreenSources {
  thread: string;
  processPool: string;
  multiprocessing: string;
}

/** True where this engine can suspend a WebAssembly stack on a promise (JSPI). */
export function hasStackSwitching(): boolean {
  return typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
}

/** Events per thread lane kept in the timeline. */
const TIMELINE_CAPACITY = 1 << 13;
/** How long Stop waits for the stacks to unwind before terminating the interpreter, ms. */
const STOP_GRACE_MS = 1000;
const BOOT_TIMEOUT_MS = 90_000;
/** Native workers at most (hashlib, zlib without the GIL): one per core, as C threads use. */
const MAX_NATIVE_WORKERS = 8;
/** One run of the warm-up program (warm-up.ts) at idle, s: a run asked for stops it. */
const IDLE_WARM_S = 0.4;
/** One run of it while a program waits, s. */
const WAIT_WARM_S = 0.5;
/**
 * How long the interpreter must have been idle before the warm-up starts, ms: a reader who runs
 * again at once (or the bench's warm start-up) never meets a warm-up run to stop.
 */
const IDLE_BEFORE_WARM_MS = 3000;
/** Between idle warm-up runs, ms: the page and the engine's compiler threads get the cores too. */
const WARM_GAP_MS = 30;
/** The longest a program that reads a clock waits for the warm-up, ms. */
const WARM_WAIT_MS = 10_000;
/** What the reader sees while a program that times itself waits for the warm-up. */
export const WARMING_MESSAGE =
  'Warming Python up: the first seconds of Python on a page run slower, and would skew this program’s timings';

/**
 * Whether a program may make native calls (hashlib, zlib): only then are native workers started
 * for it. A program that reaches them otherwise computes them in the interpreter, GIL held.
 */
export function usesNativeCalls(source: string): boolean {
  return /\b(?:hashlib|zlib)\b/.test(source);
}

/**
 * The green worker (one interpreter for every thread of a run) and its ticker, on the core's
 * WorkerShell: a crash of either rejects every call at once and stops both. Its native workers
 * (hashlib, zlib without the GIL) start when a program first needs them and can be replaced
 * alone (a Stop that left a call running there); a crash of one is the worker's crash.
 */
class GreenWorker extends WorkerShell<GreenApi> {
  readonly #ticker: WorkerHandle;
  readonly #nativeFactory: WorkerFactory | null;
  #natives: { handle: WorkerHandle; api: Remote<NativeApi> }[] = [];
  /** Boot time (worker start + Pyodide + green_thread.py), ms. */
  bootMs = 0;
  /** How its interpreter started (from the snapshot or not), once booted. */
  startedFrom: SnapshotUse | null = null;

  constructor(
    factory: WorkerFactory,
    tickerFactory: WorkerFactory,
    nativeFactory: WorkerFactory | null,
  ) {
    super(factory, 'python-green', (e) => new Error(`Python worker crashed: ${e.message}`));
    this.#ticker = this.companion(tickerFactory, 'python-green-ticker');
    this.#nativeFactory = nativeFactory;
  }

  /**
   * Connects `count` native workers (started on first use) to a run: one port each, for the
   * green worker. None without a native factory.
   */
  async nativePorts(control: SharedArrayBuffer, count: number): Promise<MessagePort[]> {
    if (!this.#start(count)) return [];
    return Promise.all(
      this.#natives.slice(0, count).map(async ({ api }) => {
        const channel = new MessageChannel();
        await this.guard(api.connect(transfer(channel.port1, [channel.port1]), control));
        return channel.port2;
      }),
    );
  }

  /** Starts native workers up to `count`; false without a native factory. */
  #start(count: number): boolean {
    const factory = this.#nativeFactory;
    if (factory === null || !this.alive) return false;
    while (this.#natives.length < count) {
      const handle = factory(`python-native-${this.#natives.length + 1}`);
      // A native worker that dies takes its thread's call with it: the run fails, as a crash.
      handle.onFailure((e) =>
        this.lost(new Error(`Python worker crashed: native worker: ${e.message}`)),
      );
      this.#natives.push({ handle, api: wrap<NativeApi>(handle.endpoint) });
    }
    return true;
  }

  /**
   * Starts `count` native workers and lets each optimise its code (native-api.ts warmUp) while
   * the interpreter boots, so that the program's first native calls do not pay for it. A
   * failure here is left for the run (nativePorts) to meet.
   */
  async warmNatives(count: number): Promise<void> {
    if (!this.#start(count)) return;
    await Promise.all(this.#natives.slice(0, count).map(({ api }) => api.warm())).catch(
      () => undefined,
    );
  }

  /** Ends the native workers (a Stop left a call running there); the next run starts others. */
  async dropNatives(): Promise<void> {
    const natives = this.#natives;
    this.#natives = [];
    await Promise.all(natives.map((n) => n.handle.terminate()));
  }

  /** Starts loading Pyodide's JavaScript and the snapshot before boot() (a failure shows there). */
  preload(indexURL: string, snapshot: string | null): void {
    void this.api.preload(indexURL, snapshot).catch(() => undefined);
  }

  async boot(
    assets: RuntimeAssets,
    source: GreenSources,
    memoryLimitBytes?: number,
  ): Promise<void> {
    const t0 = performance.now();
    const report = await this.guardWithin(
      this.api.boot({
        indexURL: assets.indexURL,
        wasm: assets.wasm,
        snapshot: assets.snapshot,
        source: source.thread,
        processPool: source.processPool,
        multiprocessing: source.multiprocessing,
        memoryLimitBytes,
      }),
      BOOT_TIMEOUT_MS,
      `GIL Lab: Python did not start within ${BOOT_TIMEOUT_MS / 1000} s`,
    );
    this.bootMs = performance.now() - t0;
    this.startedFrom = report.snapshot;
  }

  /** Starts the ticker on a run's control words (it returns when CLOSED is set). */
  tick(control: GreenControl): void {
    (this.#ticker.endpoint as { postMessage(m: unknown): void }).postMessage(control.buffer);
  }

  protected override lost(error: Error): void {
    super.lost(error);
    void this.dropNatives();
  }

  override async terminate(reason: Error = new Error('Python worker was stopped')): Promise<void> {
    await Promise.all([super.terminate(reason), this.dropNatives()]);
  }
}

export interface GreenRunOptions {
  source: string;
  filename: string;
  switchIntervalMs: number;
  onOutput: (o: { lane: number; label: string; stream: 'stdout' | 'stderr'; text: string }) => void;
  onProgress: (p: PythonProgress) => void;
  onTimeline: (reader: TimelineReader) => void;
  signal?: AbortSignal;
  /** Wait for the eval-loop warm-up first (default: when the program reads a clock). */
  waitForWarmUp?: boolean;
}

export interface GreenRunHandle {
  readonly timeline: TimelineReader | null;
  result: Promise<PythonRunResult>;
  stop(): Promise<void>;
}

/** The result of a run stopped before its program started. */
function stoppedBeforeStart(): PythonRunResult {
  const reader = new TimelineReader(createTimeline(1, 16), []);
  reader.end(reader.now());
  return {
    ok: false,
    stopped: true,
    error: { type: 'KeyboardInterrupt', message: 'Stopped', traceback: 'KeyboardInterrupt\n' },
    mode: 'gil',
    engine: 'one-interpreter',
    wallMs: 0,
    interpreters: 0,
    startupMs: [],
    timeline: reader.snapshot(),
    overlapMs: 0,
    switches: 0,
    lockHeldShare: null,
  };
}

/** The green-thread engine of one runner: one warm interpreter, one run at a time. */
export class GreenEngine {
  readonly #factory: WorkerFactory;
  readonly #tickerFactory: WorkerFactory;
  readonly #nativeFactory: WorkerFactory | null;
  readonly #cpuCount: number;
  readonly #assets: () => Promise<RuntimeAssets>;
  readonly #source: () => Promise<GreenSources>;
  readonly #memoryLimitBytes: number | undefined;
  readonly #indexURL: string | null;
  readonly #snapshot: string | null;
  /** The one interpreter: idle in the warm pool between runs, leased by one run at a time. */
  readonly #warm = new WarmPool<GreenWorker>();
  /** Process interpreters (processes.ts), warm between runs, leased before a program starts. */
  readonly #procs = new WarmPool<GreenWorker>();
  /** Its boot, while one is under way (a prewarm's, or that of a run stopped meanwhile). */
  #booting: Promise<void> | null = null;
  #busy: Promise<unknown> = Promise.resolve();
  /** Whether the eval loop is warmed up before programs that time themselves (warm-up.ts). */
  readonly #warmUp: boolean;
  readonly #warmth = new EvalLoopWarmth();
  /** The idle warm-up, while it goes on, and its run under way (a run asked for stops it). */
  #idleWarm: Promise<void> | null = null;
  #idleRun: GreenRunHandle | null = null;
  /** Warm-up runs so far (each picks call targets the ones before did not use). */
  #warmRuns = 0;
  /** Runs asked for (run()) and not ended yet. */
  #pending = 0;
  #disposed = false;

  constructor(o: {
    factory: WorkerFactory;
    tickerFactory: WorkerFactory;
    /** Creates the native workers (hashlib, zlib without the GIL); null: none, all in Python. */
    nativeFactory?: WorkerFactory | null;
    /** Cores: os.cpu_count() in programs, and how many native workers a program may use. */
    cpuCount?: number;
    assets: () => Promise<RuntimeAssets>;
    source: () => Promise<GreenSources>;
    /** An interpreter that grew past this during a run is discarded after it (bytes). */
    memoryLimitBytes?: number | undefined;
    /**
     * Where the assets will say Pyodide and the snapshot are, known before they have loaded: a
     * new worker starts loading Pyodide's JavaScript and the snapshot from there at once.
     */
    preload?: { indexURL: string; snapshot: string | null } | undefined;
    /**
     * Warm the interpreter's eval loop up at idle after it boots, and make a program that reads
     * a clock wait for that (bounded): its figures would otherwise compare a part run on the
     * engine's baseline code with a part run on optimised code (warm-up.ts). Off in Node's
     * tests: seconds of CPU they do not need.
     */
    warmUp?: boolean;
  }) {
    this.#warmUp = o.warmUp ?? false;
    this.#memoryLimitBytes = o.memoryLimitBytes;
    this.#indexURL = o.preload?.indexURL ?? null;
    this.#snapshot = o.preload?.snapshot ?? null;
    this.#factory = o.factory;
    this.#tickerFactory = o.tickerFactory;
    this.#nativeFactory = o.nativeFactory ?? null;
    this.#cpuCount = Math.max(1, Math.floor(o.cpuCount ?? 1));
    this.#assets = o.assets;
    this.#source = o.source;
  }

  /** Interpreters alive (0 or 1), the one still booting included. */
  get live(): number {
    return this.#warm.live + this.#procs.live;
  }

  /**
   * Resolves once the interpreter is alive: idle in the pool, or (prewarm during a run) leased.
   * True when this call booted it. A boot under way is awaited, never doubled.
   */
  async #ready(natives = false): Promise<boolean> {
    while (this.#booting !== null) await this.#booting.catch(() => undefined);
    if (this.#warm.live > 0) return false;
    // None is alive: this hands out nothing, and forgets one that died while idle.
    this.#warm.takeWarm();
    const booting = this.#boot(natives);
    this.#booting = booting;
    try {
      await booting;
    } finally {
      if (this.#booting === booting) this.#booting = null;
    }
    this.#warmAtIdle();
    return true;
  }

  /** How the eval-loop warm-up went (warmth.ts): for the bench and tests. */
  get warmth(): { done: boolean; reason: string | null; fall: number; spentMs: number } {
    const w = this.#warmth;
    return { done: w.done, reason: w.reason, fall: w.fall, spentMs: w.spentMs };
  }

  /**
   * Runs the warm-up program for about `seconds` and hands its probes to the policy; `started`
   * gets its handle (to stop it). Resolves true if it was stopped.
   */
  async #warmRun(seconds: number, started: (h: GreenRunHandle) => void): Promise<boolean> {
    let text = '';
    const t0 = performance.now();
    const handle = this.#start({
      source: warmUpProgram(seconds, this.#warmRuns++),
      filename: 'warm_up.py',
      switchIntervalMs: 5,
      onOutput: (o) => {
        if (o.stream === 'stdout') text += o.text;
      },
      onProgress: () => undefined,
      onTimeline: () => undefined,
    });
    started(handle);
    const result = await handle.result.catch(() => null);
    if (result === null || (!result.ok && !result.stopped)) this.#warmth.giveUp();
    else this.#warmth.add(probesIn(text), performance.now() - t0);
    return result?.stopped ?? false;
  }

  /**
   * Warms the eval loop up while no run is asked for, one short warm-up run after another, until
   * the policy says it is done. Started after a boot and after each run; a run asked for stops
   * the warm-up run under way (Stop: KeyboardInterrupt, within milliseconds) and goes first.
   */
  #warmAtIdle(): void {
    if (!this.#warmUp || this.#warmth.done || this.#idleWarm !== null || this.#disposed) return;
    this.#idleWarm = (async () => {
      try {
        for (let gap = IDLE_BEFORE_WARM_MS; !this.#warmth.done; gap = WARM_GAP_MS) {
          await new Promise((r) => setTimeout(r, gap));
          // Warming never boots an interpreter (one that died is booted by the next run).
          if (this.#pending > 0 || this.#disposed || this.#warm.warm === 0) return;
          const stopped = await this.#warmRun(IDLE_WARM_S, (h) => (this.#idleRun = h));
          this.#idleRun = null;
          if (stopped) return;
        }
      } finally {
        this.#idleRun = null;
        this.#idleWarm = null;
      }
    })();
  }

  /**
   * A program that reads a clock, run once the warm-up is done (or after WARM_WAIT_MS): its
   * parts are then compared on the same code. The reader is told why it waits; Stop ends the
   * wait at once.
   */
  #afterWarmUp(o: GreenRunOptions): GreenRunHandle {
    let warming: GreenRunHandle | null = null;
    let program: GreenRunHandle | null = null;
    let stopped = false;
    const stop = async (): Promise<void> => {
      stopped = true;
      await (program ?? warming)?.stop();
    };
    o.signal?.addEventListener('abort', () => void stop(), { once: true });
    const result = (async (): Promise<PythonRunResult> => {
      o.onProgress({ phase: 'startup', message: 'Starting Python' });
      // A boot that fails fails the program's run below, which says so.
      await this.#ready().catch(() => undefined);
      const until = performance.now() + WARM_WAIT_MS;
      if (!this.#warmth.done && !stopped)
        o.onProgress({ phase: 'startup', message: WARMING_MESSAGE });
      while (!this.#warmth.done && !stopped && performance.now() < until)
        await this.#warmRun(WAIT_WARM_S, (h) => (warming = h));
      warming = null;
      if (stopped) return stoppedBeforeStart();
      program = this.#start(o);
      return program.result;
    })();
    return {
      get timeline() {
        return program?.timeline ?? null;
      },
      result,
      stop,
    };
  }

  /**
   * Runs a program. One that reads a clock waits for the eval-loop warm-up if it is not done
   * yet (#afterWarmUp); an idle warm-up run under way is stopped first.
   */
  run(o: GreenRunOptions): GreenRunHandle {
    this.#pending++;
    void this.#idleRun?.stop();
    const handle =
      this.#warmUp && !this.#warmth.done && (o.waitForWarmUp ?? timesItself(o.source))
        ? this.#afterWarmUp(o)
        : this.#start(o);
    void handle.result
      .catch(() => undefined)
      .finally(() => {
        if (--this.#pending === 0) this.#warmAtIdle();
      });
    return handle;
  }

  /** Boots a new interpreter into the warm pool (counted by the pool, so dispose reaches it). */
  async #boot(natives: boolean): Promise<void> {
    const w = new GreenWorker(this.#factory, this.#tickerFactory, this.#nativeFactory);
    this.#warm.add(w);
    // Pyodide's JavaScript loads in the worker while the page still compiles the wasm.
    if (this.#indexURL !== null) w.preload(this.#indexURL, this.#snapshot);
    try {
      await Promise.all([
        (async () => {
          const [assets, source] = await Promise.all([this.#assets(), this.#source()]);
          await w.boot(assets, source, this.#memoryLimitBytes);
        })(),
        natives ? w.warmNatives(this.#nativeCount) : null,
      ]);
    } catch (e) {
      await this.#warm.discard(w);
      throw e;
    }
    this.#warm.giveBack(w);
  }

  /**
   * Boots the interpreter if none is alive (and its native workers, if `source` makes native
   * calls), and the process interpreters `source` would start.
   */
  async prewarm(source = ''): Promise<void> {
    await this.#ready(usesNativeCalls(source));
    // Process interpreters alive count, idle or leased by a run under way (a prewarm may come
    // while one runs): only the missing ones boot.
    const missing = processesFor(source, this.#cpuCount) - this.#procs.live;
    const booted = await Promise.allSettled(
      Array.from({ length: Math.max(0, missing) }, () => this.#bootProcess()),
    );
    for (const b of booted) if (b.status === 'fulfilled') this.#procs.giveBack(b.value);
  }

  /** A process interpreter, booted now. */
  async #bootProcess(): Promise<GreenWorker> {
    // No native workers: a process's hashlib and zlib compute in it (its own GIL is its own).
    const w = new GreenWorker(this.#factory, this.#tickerFactory, null);
    this.#procs.add(w);
    if (this.#indexURL !== null) w.preload(this.#indexURL, this.#snapshot);
    try {
      const [assets, source] = await Promise.all([this.#assets(), this.#source()]);
      await w.boot(assets, source, this.#memoryLimitBytes);
    } catch (e) {
      await this.#procs.discard(w);
      throw e;
    }
    return w;
  }

  /** `n` process interpreters: warm ones first, the rest booted (fewer if a boot fails). */
  async #leaseProcesses(n: number): Promise<GreenWorker[]> {
    const got: GreenWorker[] = [];
    while (got.length < n) {
      const w = this.#procs.takeWarm();
      if (w === null) break;
      got.push(w);
    }
    const booted = await Promise.allSettled(
      Array.from({ length: n - got.length }, () => this.#bootProcess()),
    );
    for (const b of booted) if (b.status === 'fulfilled') got.push(b.value);
    return got;
  }

  #giveBackProcesses(workers: GreenWorker[]): void {
    for (const w of workers) this.#procs.giveBack(w);
  }

  /** Native workers a run may use: one per core. */
  get #nativeCount(): number {
    return Math.min(MAX_NATIVE_WORKERS, this.#cpuCount);
  }

  #start(o: GreenRunOptions): GreenRunHandle {
    let reader: TimelineReader | null = null;
    let stopRequested = false;
    let stopNow: (() => Promise<void>) | null = null;
    let stopPressed: () => void = () => undefined;
    const pressed = new Promise<null>((r) => (stopPressed = () => r(null)));
    const stop = async (): Promise<void> => {
      stopRequested = true;
      stopPressed();
      await stopNow?.();
    };
    o.signal?.addEventListener('abort', () => void stop(), { once: true });
    const previous = this.#busy;
    const result = (async (): Promise<PythonRunResult> => {
      await previous.catch(() => undefined);
      o.onProgress({ phase: 'startup', message: 'Starting Python' });
      // Stop while the interpreter still boots ends the run at once; the boot goes on, and the
      // interpreter is warm for the next run.
      const fresh = await Promise.race([this.#ready(), pressed]);
      if (fresh === null) return stoppedBeforeStart();
      // Runs take turns (#busy), so the interpreter is idle in the pool now, unless it just died.
      const worker = this.#warm.takeWarm();
      if (worker === null) throw new Error('Python worker crashed as it started');
      // A program that makes a process pool gets its process interpreters now, before it starts:
      // their start-up is never inside its timed section (CPython's fork has almost none).
      const wanted = processesFor(o.source, this.#cpuCount);
      let procs: GreenWorker[] = [];
      if (wanted > 0) {
        if (this.#procs.warm < wanted)
          o.onProgress({
            phase: 'startup',
            message: `Starting ${wanted} ${wanted === 1 ? 'process' : 'processes'}`,
          });
        const leasing = this.#leaseProcesses(wanted);
        const leased = await Promise.race([leasing, pressed]);
        if (leased === null) {
          this.#warm.giveBack(worker);
          void leasing.then((ws) => this.#giveBackProcesses(ws));
          return stoppedBeforeStart();
        }
        procs = leased;
      }
      const control = createGreenControl(o.switchIntervalMs);
      const timeline = createTimeline(GREEN_LANES + MAX_PROCESSES, TIMELINE_CAPACITY);
      const labels = new Map<number, string>();
      // A process's lane (after the threads') has its own GIL: lock 1, 2 … (the threads' is 0).
      const lanes = (): LaneInfo[] =>
        [...labels].map(([lane, label]) =>
          lane >= GREEN_LANES
            ? { lane, label, kind: 'process', lock: lane - GREEN_LANES + 1 }
            : { lane, label, kind: 'thread', lock: 0 },
        );
      const channel = new MessageChannel();
      let ended: () => void = () => undefined;
      const drained = new Promise<void>((r) => (ended = r));
      const onMessage = (m: GreenMessage, main: boolean): void => {
        if (m.kind === 'end') {
          if (main) ended();
        } else if (m.kind === 'thread') {
          const first = labels.size === 0;
          labels.set(m.lane, m.label);
          reader = new TimelineReader(timeline, lanes());
          if (first) o.onProgress({ phase: 'running', message: 'Running' });
          o.onTimeline(reader);
        } else if (m.kind === 'output')
          o.onOutput({
            ...m,
            label: labels.get(m.lane) ?? (m.lane === 0 ? 'MainThread' : 'Thread'),
          });
      };
      const listen = (port: MessagePort, main: boolean): void => {
        port.addEventListener('message', (e: MessageEvent<GreenMessage>) =>
          onMessage(e.data, main),
        );
        port.start();
        (port as unknown as { unref?: () => void }).unref?.();
      };
      listen(channel.port1, true);
      // Each process: its own control words (GIL, ticker, Stop), a port for its tasks (to the
      // green worker) and one for its output (here).
      const processes = procs.map((pw, k) => {
        const pcontrol = createGreenControl(o.switchIntervalMs);
        const tasks = new MessageChannel();
        const out = new MessageChannel();
        listen(out.port1, false);
        const serving = pw.guard(
          pw.api.serve(
            transfer(
              {
                control: pcontrol.buffer,
                parentControl: control.buffer,
                timeline: timeline satisfies TimelineDescriptor,
                lane: GREEN_LANES + k,
                task: tasks.port2,
                port: out.port2,
                source: o.source,
                filename: o.filename,
                cpuCount: this.#cpuCount,
              },
              [tasks.port2, out.port2],
            ),
          ),
        );
        serving.catch(() => undefined);
        pw.tick(pcontrol);
        return { worker: pw, control: pcontrol, serving, tasks: tasks.port1, out: out.port1 };
      });
      let stopped = false;
      let terminated = false;
      const native = usesNativeCalls(o.source)
        ? await worker.nativePorts(control.buffer, this.#nativeCount).catch(() => [])
        : [];
      const running = worker.guard(
        worker.api.run(
          transfer(
            {
              control: control.buffer,
              timeline: timeline satisfies TimelineDescriptor,
              source: o.source,
              filename: o.filename,
              port: channel.port2,
              native,
              cpuCount: this.#cpuCount,
              processes: processes.map((p) => p.tasks),
            },
            [channel.port2, ...native, ...processes.map((p) => p.tasks)],
          ),
        ),
      );
      stopNow = async () => {
        if (stopped) return;
        stopped = true;
        control.times[RAISED_AT] = absoluteNow();
        Atomics.store(control.words, STOP, STOP_ASKED);
        Atomics.store(control.words, INTERRUPT, SIGINT);
        changed(control);
        void worker.api.stop().catch(() => undefined);
        for (const p of processes) {
          p.control.times[RAISED_AT] = absoluteNow();
          Atomics.store(p.control.words, STOP, STOP_ASKED);
          Atomics.store(p.control.words, INTERRUPT, SIGINT);
          changed(p.control);
          void p.worker.api.stop().catch(() => undefined);
        }
        const settled = await Promise.race([
          running.then(
            () => true,
            () => true,
          ),
          new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS)),
        ]);
        if (!settled) {
          // A long C call (or a program ignoring KeyboardInterrupt) cannot be interrupted.
          terminated = true;
          await this.#warm.discard(worker);
        }
      };
      worker.tick(control);
      const t0 = performance.now();
      if (stopRequested) void stopNow();
      let outcome: GreenOutcome;
      try {
        outcome = await running;
        await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
      } catch (e) {
        outcome = {
          ok: false,
          error: {
            type: stopped ? 'KeyboardInterrupt' : 'Error',
            message: stopped ? 'Stopped' : e instanceof Error ? e.message : String(e),
            traceback: stopped ? 'KeyboardInterrupt\n' : '',
          },
          switches: 0,
          threads: labels.size,
          clean: false,
          reason: 'the run did not end normally',
          nativeInFlight: 0,
        };
      } finally {
        Atomics.store(control.words, CLOSED, 1);
        changed(control);
        channel.port1.close();
      }
      const wallMs = performance.now() - t0;
      await this.#endProcesses(processes);
      if (!outcome.clean && !terminated) await this.#warm.discard(worker);
      else if (!terminated) {
        if (outcome.nativeInFlight > 0) await worker.dropNatives();
        this.#warm.giveBack(worker);
      }
      reader ??= new TimelineReader(timeline, lanes());
      reader.end(reader.now());
      const snapshot = reader.snapshot();
      const wasStopped = stopped && outcome.error?.type !== 'Deadlock';
      return {
        ok: outcome.ok && !wasStopped,
        stopped: wasStopped,
        error:
          outcome.error ??
          (wasStopped
            ? { type: 'KeyboardInterrupt', message: 'Stopped', traceback: 'KeyboardInterrupt\n' }
            : null),
        mode: 'gil',
        engine: 'one-interpreter',
        wallMs,
        interpreters: 1 + processes.length,
        startupMs: [fresh ? worker.bootMs : 0, ...procs.map(() => 0)],
        ...(worker.startedFrom !== null ? { startedFrom: worker.startedFrom } : {}),
        timeline: snapshot,
        overlapMs: concurrentMs(inEventOrder(snapshot), ['running', 'native'], 2),
        switches: outcome.switches,
        lockHeldShare: lockHeldShare(snapshot, wallMs),
      };
    })();
    this.#busy = result;
    return {
      get timeline() {
        return reader;
      },
      result,
      stop,
    };
  }

  /**
   * After the program: each process has been told the run is over (the green worker closes its
   * pools); one that does not end within the grace (a long C call, a Stop it ignores) is
   * terminated, one that ended unclean (os._exit, a fatal error) discarded, the rest kept warm.
   */
  async #endProcesses(
    processes: {
      worker: GreenWorker;
      control: GreenControl;
      serving: Promise<ProcessServeOutcome>;
      out: MessagePort;
    }[],
  ): Promise<void> {
    await Promise.all(
      processes.map(async (p) => {
        const outcome = await Promise.race([
          p.serving.catch(() => null),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), STOP_GRACE_MS)),
        ]);
        Atomics.store(p.control.words, CLOSED, 1);
        changed(p.control);
        p.out.close();
        if (outcome === undefined || outcome === null || !outcome.clean)
          await this.#procs.discard(p.worker);
        else this.#procs.giveBack(p.worker);
      }),
    );
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    void this.#idleRun?.stop();
    await Promise.all([this.#warm.dispose(), this.#procs.dispose()]);
  }
}
