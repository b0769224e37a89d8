/**
 * Worker side: the scheduler of a program's green threads, all in one interpreter. Each thread
 * is a Python call stack entered with `callPromising()`; a stack that waits (lock, join, sleep)
 * or is asked to drop the GIL calls `run_sync()` on a promise from here, and the scheduler
 * resolves the promise of the next thread instead: exactly one stack runs Python at a time.
 *
 * The GIL model is the experiments' (gil.ts, after CPython's ceval_gil.c): threads that want
 * the GIL queue in order; the holder keeps it until it waits, or until one switch interval after
 * a waiter arrived (the ticker's drop request, control.ts), then hands it to the first waiter.
 * Which thread runs is published in shared words so the ticker can decide without this thread.
 */
import {
  NATIVE_DONE,
  NEXT_DEADLINE,
  READY,
  REQUESTED,
  RUNNING,
  STOP,
  STOP_SEEN,
  SWITCHES,
  WAIT_FROM,
  changed,
  type GreenControl,
} from './control.ts';

/** What a resumed stack is told (green_thread.py: WOKEN, TIMED_OUT, STOPPED, DEADLOCK). */
export const WOKEN = 1;
export const TIMED_OUT = 0;
export const STOPPED = -1;
export const DEADLOCK = -2;

/** What a thread is doing, for the timeline. */
export type GreenState = 'waiting' | 'running' | 'blocked' | 'io' | 'native' | 'done';

interface GreenThread {
  tid: number;
  name: string;
  daemon: boolean;
  state: GreenState;
  /** Resolves the promise the suspended stack waits on. */
  resume: ((code: number) => void) | null;
  /** A thread not started yet: starts its stack. */
  start: (() => Promise<unknown>) | null;
  /** What it is resumed with when it next runs. */
  code: number;
  /** Timed wait: when it times out (absolute ms); Infinity: never. */
  deadline: number;
  /** Where it waits (for a deadlock report). */
  where: string;
  /**
   * Its CPU time, ms: the time its stack really ran Python (cpuStart() to its next suspension or
   * cpuStop()) plus its native calls' work; and since when it runs Python now (NaN: not running).
   */
  cpuMs: number;
  runSince: number;
  /** The wait a wake() is for (0: none); a wake for the next wait, arrived before it blocked. */
  token: number;
  early: number;
  /** Since when it wants the GIL (ready queue order), ms. */
  since: number;
  /** A native call's reply, for the thread to read when it runs again. */
  reply: unknown;
}

/** A Python callable handed over as a PyProxy (only what is used here). */
export interface PyCallable {
  callPromising(...args: unknown[]): Promise<unknown>;
  destroy(): void;
}

export interface SchedulerHooks {
  now(): number;
  /** Records a thread's state change (timeline). */
  record(tid: number, state: GreenState): void;
  /** A thread was created or named. */
  onThread(tid: number, name: string): void;
  /** Every thread waits and nothing can wake one: the report to print. */
  onDeadlock(report: string): void;
  /** Another thread is about to run (output written so far belongs to the previous one). */
  onSwitch(): void;
}

export class GreenScheduler {
  readonly #c: GreenControl;
  readonly #h: SchedulerHooks;
  readonly #threads = new Map<number, GreenThread>();
  readonly #ready: GreenThread[] = [];
  #current: GreenThread | null = null;
  #last: GreenThread | null = null;
  #nextTid = 1;
  /** 0 while running; STOPPED or DEADLOCK once every stack must unwind. */
  #ending = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #settled: () => void = () => undefined;
  /** Resolves when every thread's stack has ended. */
  readonly allDone: Promise<void>;
  /**
   * Rejects when a thread's stack threw: Pyodide itself failed (os._exit ended it, a fatal
   * error corrupted it). No stack is resumed after that; the run ends with the error.
   */
  readonly #failed: Promise<never>;
  #reject: (e: unknown) => void = () => undefined;
  #dead = false;
  switches = 0;
  deadlocked = false;
  /** CPU time of the threads' ended stretches and of every native call, ms (processTime()). */
  #cpuMs = 0;
  /** Native calls (native-api.ts) posted and not answered yet. */
  #nativeInFlight = 0;
  #nativeSeq = 0;

  constructor(control: GreenControl, hooks: SchedulerHooks) {
    this.#c = control;
    this.#h = hooks;
    this.allDone = new Promise((r) => (this.#settled = r));
    this.#failed = new Promise<never>((_, reject) => (this.#reject = reject));
    this.#failed.catch(() => undefined);
  }

  /**
   * time.process_time(): CPU time of the whole program, s ("the sum of the system and user CPU
   * time of the current process", CPython's docs): the time some thread's stack really ran
   * Python, plus the native calls' work in other workers (on other cores: CPU time too, as in
   * CPython). Not the wall time minus the time every thread waited: that also counted what is
   * no computing of the program's, the engine's hops between stacks (handing the GIL over,
   * starting a thread's stack, resuming one after its wait: event-loop turns, which a busy
   * machine stretches), so on a loaded machine waiting code came out "computing" (cpu/wall
   * 0.26 for threads that only sleep, where CPython gives 0.00). Time the OS gives to other
   * processes while a stack runs still counts (the browser cannot tell it apart): a busy
   * machine can raise this figure, never by counting a wait.
   */
  processTime(): number {
    const t = this.#current;
    const running = t === null || Number.isNaN(t.runSince) ? 0 : this.#h.now() - t.runSince;
    return (this.#cpuMs + running) / 1000;
  }

  /**
   * The running thread's stack runs Python again (green_thread.py calls this when it resumes
   * after a wait, and when a thread's or the program's stack begins): its CPU clock starts.
   */
  cpuStart(tid: number): void {
    const t = this.#current;
    if (t !== null && t.tid === tid && Number.isNaN(t.runSince)) t.runSince = this.#h.now();
  }

  /** The running thread's stack is done with Python (its end): its CPU clock stops. */
  cpuStop(tid: number): void {
    const t = this.#current;
    if (t !== null && t.tid === tid) this.#stopClock(t);
  }

  /** time.thread_time(): the time `tid` ran Python, s. */
  threadTime(tid: number): number {
    const t = this.#threads.get(tid);
    if (t === undefined) return 0;
    const running = Number.isNaN(t.runSince) ? 0 : this.#h.now() - t.runSince;
    return (t.cpuMs + running) / 1000;
  }

  /** A thread stops running Python: its CPU time (and the program's) grows by the stretch. */
  #stopClock(t: GreenThread): void {
    if (Number.isNaN(t.runSince)) return;
    const ms = this.#h.now() - t.runSince;
    t.cpuMs += ms;
    this.#cpuMs += ms;
    t.runSince = NaN;
  }

  /** The thread running Python now (its id), or null. */
  get current(): number | null {
    return this.#current?.tid ?? null;
  }

  get stopped(): boolean {
    return this.#ending !== 0;
  }

  /** Native calls not answered yet (a Stop can leave some running in a native worker). */
  get nativeInFlight(): number {
    return this.#nativeInFlight;
  }

  /** Starts the main thread (tid 0), running `start`'s stack at once. */
  runMain(start: () => Promise<unknown>): Promise<unknown> {
    const main = this.#add(0, 'MainThread', false);
    this.#run(main);
    const done = Promise.race([start(), this.#failed]);
    return done.finally(() => {
      // At exit CPython does not wait for daemon threads: end their stacks. First, so that the
      // main thread's end does not find every other thread waiting and call it a deadlock.
      this.#finish(STOPPED);
      this.#end(main);
    });
  }

  newThread(): number {
    return this.#nextTid++;
  }

  /** A new thread (threading.Thread.start): ready, it starts when it gets the GIL. */
  spawn(tid: number, body: PyCallable, daemon: boolean): void {
    const t = this.#add(tid, `Thread (${tid})`, daemon);
    t.start = () => {
      t.start = null;
      // The body catches every Python exception: a stack that throws is Pyodide failing.
      return body.callPromising().then(
        () => {
          body.destroy();
          this.#end(t);
        },
        (e: unknown) => this.#fail(e),
      );
    };
    if (this.#ending !== 0) {
      // Started during shutdown: it never runs.
      t.start = null;
      body.destroy();
      this.#end(t);
      return;
    }
    this.#makeReady(t, WOKEN);
    this.#publish();
  }

  setName(tid: number, name: string): void {
    const t = this.#threads.get(tid);
    if (t === undefined) return;
    t.name = name;
    this.#h.onThread(tid, name);
  }

  /**
   * The running thread waits (lock, join, sleep …) until wake() or `ms` (< 0: no timeout).
   * The returned promise is what its stack run_sync()s on.
   */
  block(
    tid: number,
    ms: number,
    kind: 'blocked' | 'io',
    where: string,
    token: number,
  ): Promise<number> {
    const t = this.#mustRun(tid);
    if (this.#ending !== 0) return Promise.resolve(this.#ending);
    if (token !== 0 && t.early === token) {
      t.early = 0;
      return Promise.resolve(WOKEN);
    }
    t.token = token;
    t.state = kind;
    t.where = where;
    t.deadline = ms < 0 ? Infinity : this.#h.now() + ms;
    this.#h.record(tid, kind);
    return this.#suspend(t);
  }

  /**
   * The running thread makes a native call (hashlib, zlib: `post` sends it to a native worker)
   * and waits for its reply without the GIL, like Py_BEGIN_ALLOW_THREADS around C code: other
   * threads run meanwhile. The reply is kept for native_result(); the thread then queues for
   * the GIL from the moment the call finished (the ticker raises the drop request).
   */
  native(tid: number, post: () => Promise<unknown>): Promise<number> {
    const t = this.#mustRun(tid);
    if (this.#ending !== 0) return Promise.resolve(this.#ending);
    const token = ++this.#nativeSeq;
    this.#nativeInFlight++;
    const settle = (reply: unknown): void => {
      this.#nativeInFlight--;
      Atomics.sub(this.#c.words, NATIVE_DONE, 1);
      const r = reply as { ms?: unknown; doneAt?: unknown } | null;
      const ms = typeof r?.ms === 'number' ? r.ms : 0;
      this.#cpuMs += ms;
      t.cpuMs += ms;
      if (t.state !== 'native' || t.token !== token || this.#dead) return;
      t.reply = reply;
      this.#makeReady(t, WOKEN, typeof r?.doneAt === 'number' ? r.doneAt : this.#h.now());
      this.#publish();
      this.#dispatch();
    };
    post().then(settle, (e: unknown) => {
      // The call threw in the native worker (which counted it done): the thread reads the error.
      settle({ error: e instanceof Error ? e.message : String(e) });
    });
    t.token = token;
    t.state = 'native';
    t.where = '';
    t.deadline = Infinity;
    t.reply = null;
    this.#h.record(tid, 'native');
    return this.#suspend(t);
  }

  /** The reply of the thread's last native call (once). */
  nativeResult(tid: number): unknown {
    const t = this.#threads.get(tid);
    if (t === undefined) return null;
    const r = t.reply;
    t.reply = null;
    return r;
  }

  /** A native call finished and its reply waits in the message queue: its thread wants the GIL. */
  #nativeDue(): boolean {
    return this.#nativeInFlight > 0 && Atomics.load(this.#c.words, NATIVE_DONE) > 0;
  }

  /** The wait `token` of a thread is over (it is the running thread that wakes it). */
  wake(tid: number, token: number): void {
    const t = this.#threads.get(tid);
    if (t === undefined || t.state === 'done' || token === 0) return;
    // An event loop waits as 'io' (its select()), woken by another thread's callback.
    if ((t.state !== 'blocked' && t.state !== 'io') || t.token !== token) {
      // Not blocked in that wait yet: it joined a waiter list, then lost the GIL before blocking.
      t.early = token;
      return;
    }
    this.#makeReady(t, WOKEN);
    this.#publish();
  }

  /**
   * The drop request reached the running thread (SIGUSR1 handler). True if another thread is
   * waiting for the GIL (the caller then yields); false restarts the waiters' interval.
   */
  switchRequest(tid: number, canSwitch: boolean): boolean {
    // A request raised again (control.ts: RAISE_AGAIN_MS) when the first was only late, not
    // lost, arrives after the first was served: it is not a new drop request.
    if (Atomics.exchange(this.#c.words, REQUESTED, 0) === 0) return false;
    // Ending (Stop, deadlock, exit): each stack unwinds when it resumes; no more switching.
    if (this.#ending !== 0) return false;
    this.#promoteExpired();
    if (canSwitch && this.#current?.tid === tid && (this.#ready.length > 0 || this.#nativeDue()))
      return true;
    // Not served (no waiter, or not inside a green stack): the waiters' interval starts again.
    this.#c.times[WAIT_FROM] = this.#ready.length > 0 ? this.#h.now() : Infinity;
    this.#publish();
    return false;
  }

  /** The running thread hands the GIL to the first waiter and queues for it again. */
  yieldGil(tid: number): Promise<number> {
    const t = this.#mustRun(tid);
    if (this.#ending !== 0) return Promise.resolve(this.#ending);
    this.#makeReady(t, WOKEN);
    return this.#suspend(t);
  }

  /** Stop: every stack unwinds (KeyboardInterrupt in the main thread, SystemExit elsewhere). */
  stop(): void {
    Atomics.store(this.#c.words, STOP, STOP_SEEN);
    this.#finish(STOPPED);
  }

  // -------------------------------------------------------------------------------------------

  #add(tid: number, name: string, daemon: boolean): GreenThread {
    const t: GreenThread = {
      tid,
      name,
      daemon,
      state: 'waiting',
      resume: null,
      start: null,
      code: WOKEN,
      deadline: Infinity,
      where: '',
      cpuMs: 0,
      runSince: NaN,
      token: 0,
      early: 0,
      since: 0,
      reply: null,
    };
    this.#threads.set(tid, t);
    this.#h.onThread(tid, name);
    return t;
  }

  #mustRun(tid: number): GreenThread {
    const t = this.#current;
    if (t === null || t.tid !== tid)
      throw new Error(`green thread ${tid} is not the one running (${t?.tid ?? 'none'})`);
    return t;
  }

  /** `t` queues for the GIL, in the order threads started wanting it (`since`, default now). */
  #makeReady(t: GreenThread, code: number, since = this.#h.now()): void {
    if (this.#ready.length === 0) this.#c.times[WAIT_FROM] = since;
    t.state = 'waiting';
    t.code = code;
    t.deadline = Infinity;
    t.token = 0;
    t.since = since;
    let i = this.#ready.length;
    while (i > 0 && this.#ready[i - 1]!.since > since) i--;
    this.#ready.splice(i, 0, t);
    this.#h.record(t.tid, 'waiting');
  }

  #suspend(t: GreenThread): Promise<number> {
    const p = new Promise<number>((resolve) => (t.resume = resolve));
    this.#stopClock(t);
    this.#current = null;
    this.#dispatch();
    return p;
  }

  #run(t: GreenThread): void {
    // Its CPU clock starts when its stack really runs Python (cpuStart()), not now: resuming
    // or starting a stack takes an event-loop turn that is not the program computing.
    t.runSince = NaN;
    this.#current = t;
    t.state = 'running';
    if (this.#last !== null && this.#last !== t) {
      this.switches++;
      Atomics.add(this.#c.words, SWITCHES, 1);
    }
    this.#last = t;
    this.#c.times[WAIT_FROM] = this.#ready.length > 0 ? this.#h.now() : Infinity;
    this.#h.record(t.tid, 'running');
  }

  #end(t: GreenThread): void {
    if (t.state === 'done') return;
    const i = this.#ready.indexOf(t);
    if (i >= 0) this.#ready.splice(i, 1);
    t.state = 'done';
    t.resume = null;
    this.#h.record(t.tid, 'done');
    if (this.#current === t) {
      this.#stopClock(t);
      this.#current = null;
      this.#dispatch();
    } else this.#publish();
    if ([...this.#threads.values()].every((x) => x.state === 'done')) this.#settled();
  }

  /** Timed waits whose time is up join the GIL queue. */
  #promoteExpired(): void {
    const now = this.#h.now();
    const due = [...this.#threads.values()]
      .filter((t) => (t.state === 'blocked' || t.state === 'io') && t.deadline <= now)
      .sort((a, b) => a.deadline - b.deadline);
    for (const t of due) this.#makeReady(t, TIMED_OUT);
  }

  #fail(e: unknown): void {
    this.#dead = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#reject(e);
  }

  /** Nobody runs: give the GIL to the first waiter, or wait for a deadline, or report deadlock. */
  #dispatch(): void {
    if (this.#current !== null || this.#dead) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#promoteExpired();
    if (this.#ending === 0 && this.#nativeDue()) {
      // A native call has finished; its reply is a message that arrives once this stack has
      // unwound to the event loop (settle() then dispatches). Its thread wants the GIL since
      // it finished, before the threads queued after that: wait for it (microseconds).
      this.#publish();
      return;
    }
    const next = this.#ready.shift();
    if (next !== undefined) {
      this.#h.onSwitch();
      this.#run(next);
      this.#publish();
      if (next.start !== null) {
        const start = next.start;
        // After the suspending stack has unwound to the event loop: stacks never nest.
        queueMicrotask(() => void start().catch(() => undefined));
      } else {
        const resume = next.resume;
        next.resume = null;
        resume?.(next.code);
      }
      return;
    }
    this.#publish();
    const waiting = [...this.#threads.values()].filter(
      (t) => t.state === 'blocked' || t.state === 'io',
    );
    if (waiting.length === 0) return;
    // A thread in a native call comes back by itself: no deadlock while one runs.
    const native = [...this.#threads.values()].some((t) => t.state === 'native');
    const deadline = Math.min(...waiting.map((t) => t.deadline));
    if (deadline < Infinity) {
      this.#timer = setTimeout(
        () => {
          this.#timer = null;
          this.#dispatch();
        },
        Math.max(0, deadline - this.#h.now()),
      );
      return;
    }
    if (this.#ending !== 0 || native) return;
    this.deadlocked = true;
    this.#h.onDeadlock(
      waiting
        .sort((a, b) => a.tid - b.tid)
        .map((t) => `${t.name}:\n  ${t.where.replaceAll('\n', '\n  ')}`)
        .join('\n'),
    );
    this.#finish(DEADLOCK);
  }

  /** Ends the run: every thread not done is resumed with `code` and unwinds, one at a time. */
  #finish(code: number): void {
    if (this.#ending !== 0) return;
    this.#ending = code;
    for (const t of this.#threads.values()) {
      if (t.state === 'done') continue;
      if (t.start !== null) {
        t.start = null;
        this.#end(t);
      } else if (t.state === 'blocked' || t.state === 'io' || t.state === 'native')
        this.#makeReady(t, code);
      else t.code = code;
    }
    this.#publish();
    this.#dispatch();
  }

  /** What the ticker reads. */
  #publish(): void {
    const w = this.#c.words;
    Atomics.store(w, READY, this.#ready.length);
    Atomics.store(w, RUNNING, this.#current === null ? 0 : 1);
    let deadline = Infinity;
    for (const t of this.#threads.values())
      if ((t.state === 'blocked' || t.state === 'io') && t.deadline < deadline)
        deadline = t.deadline;
    this.#c.times[NEXT_DEADLINE] = deadline;
    changed(this.#c);
  }
}
