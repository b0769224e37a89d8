import { afterAll, describe, expect, it } from 'vitest';
import {
  START_METHOD_MODEL_MS,
  START_METHOD_MODEL_SOURCE,
  SEND_MODEL_MS,
  SEND_MODEL_SOURCE,
  toSegments,
} from '../../../../src/runtime/index.ts';
import reference from '../../../../src/data/cpython-reference.json' with { type: 'json' };
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
});

describe('executors', () => {
  it('map keeps submission order while as_completed yields by completion', async () => {
    const ex = runtime.executor({ mode: 'gil', workers: 3, workload: { name: 'io', size: 1 } });
    const fs = [90, 10, 45].map((size) => ex.submit({ size }));
    expect(fs.map((f) => f.index)).toEqual([0, 1, 2]);
    // The order the tasks really finished in, seen from outside asCompleted. Sleeps of 90, 10
    // and 45 ms usually finish as 1, 2, 0, but a busy machine can wake a worker late and swap
    // two of them: what asCompleted must do is follow that order, whatever it was.
    const finished: number[] = [];
    for (const f of fs) void f.settled().then(() => finished.push(f.index));
    const completed: number[] = [];
    for await (const f of ex.asCompleted(fs)) completed.push(f.index);
    expect([...completed].sort()).toEqual([0, 1, 2]);
    expect(completed).toEqual(finished);
    const outcomes = await Promise.all(fs.map((f) => f.result()));
    expect(outcomes.map((o) => o.index)).toEqual([0, 1, 2]);
    expect(fs.every((f) => f.done() && !f.cancelled())).toBe(true);
    const r = await ex.shutdown();
    expect(r.tasks).toBe(3);
  });

  it('map resolves values in order', async () => {
    const ex = runtime.executor({
      mode: 'free-threaded',
      workers: 2,
      tasks: 4,
      workload: { name: 'mandelbrot', size: 3 },
    });
    const values = await ex.map();
    const r = await ex.shutdown();
    expect(values).toEqual(r.values);
    expect(values).toHaveLength(4);
    expect(new Set(values).size).toBeGreaterThan(1); // different rows, different work
  });

  it('queues tasks when there are more than workers, and sequential runs them one by one', async () => {
    const r = await runtime.runExperiment({
      executor: 'sequential',
      workers: 3,
      workload: { name: 'io', size: 5 },
    }).result;
    expect(r.workers).toBe(1);
    expect(r.tasks).toBe(3);
    expect(r.timeline.lanes.map((l) => l.label)).toEqual(['MainThread']);
    expect(r.threads[0]!.tasks).toBe(3);
    const pool = await runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      tasks: 5,
      workload: { name: 'io', size: 5 },
    }).result;
    expect(pool.threads.reduce((a, t) => a + t.tasks, 0)).toBe(5);
  });

  it('copies inputs to processes and shares them between threads, with identical results', async () => {
    const workload = { name: 'hash' as const, size: 2, bytes: 1 << 16 };
    const threads = await runtime.runExperiment({ mode: 'gil', workers: 2, workload }).result;
    const procs = await runtime.runExperiment({ mode: 'processes', workers: 2, workload }).result;
    expect(procs.values).toEqual(threads.values);
    expect(threads.copy).toMatchObject({ method: 'shared-memory', bytes: 0 });
    expect(procs.copy).toMatchObject({ method: 'structured-clone', bytes: 2 << 16 });
    expect(procs.startup.measuredMs).toHaveLength(2);
    expect(procs.startup.measuredMs.every((ms) => ms > 0)).toBe(true);
    // Without a start method nothing CPython would pay is modelled, and the workers' creation
    // (a browser cost) is never inside the wall time.
    expect(procs.startup.includedInWall).toBe(false);
    expect(procs.startup.modelled).toBeNull();
    expect(procs.startup.warmupMs).toHaveLength(2); // reported, never inside wallMs
    expect(threads.startup.includedInWall).toBe(false);
  });

  it("starts a pool's processes by its parent's real work, on a lane of its own, inside the wall time", async () => {
    const r = await runtime.runExperiment({
      mode: 'processes',
      workers: 2,
      startMethod: 'fork',
      workload: { name: 'countdown', size: 1000 },
    }).result;
    expect(r.timeline.lanes.map((l) => [l.label, l.kind, l.lock])).toEqual([
      ['Process-1', 'process', 0],
      ['Process-2', 'process', 1],
      ['MainProcess', 'parent', null],
    ]);
    expect(r.startup.includedInWall).toBe(true);
    const spans = r.timeline.lanes.map((lane) => toSegments(lane.events, r.timeline.endMs));
    const parent = spans[2]!;
    // The parent first starts the processes (one `starting` stretch of real work: its lane's
    // time, reported as workedMs), then sends, then is done.
    expect(parent[0]!.state).toBe('starting');
    expect(parent.at(-1)!.state).toBe('done');
    expect(r.startup.modelled).toMatchObject({
      modelled: true,
      method: 'fork',
      perProcessMs: START_METHOD_MODEL_MS.fork,
      totalMs: 2 * START_METHOD_MODEL_MS.fork,
      workedMs: r.timeline.lanes[2]!.totalsMs.starting,
    });
    expect(r.startup.modelled!.workedMs).toBeGreaterThan(0);
    // Inside the clock: the wall time holds the start-up, which ends before any task runs.
    expect(r.wallMs).toBeGreaterThanOrEqual(r.startup.modelled!.workedMs);
    // Cause before effect, never a bound in milliseconds (a woken worker may be late under load):
    // a process is up only after its parent began starting it, and runs only once it is up.
    const parentBegins = parent[0]!.start;
    for (const lane of spans.slice(0, 2)) {
      const starting = lane.find((s) => s.state === 'starting')!;
      const running = lane.find((s) => s.state === 'running')!;
      expect(starting.end).toBeLessThanOrEqual(running.start);
      expect(starting.end).toBeGreaterThan(parentBegins);
    }
    // One after another: the second process is up after the first.
    const up = (l: number) => spans[l]!.find((s) => s.state === 'starting')!.end;
    expect(up(1)).toBeGreaterThanOrEqual(up(0));
  });

  it('stops a parent in the middle of a long start-up', async () => {
    const controller = new AbortController();
    const run = runtime.runExperiment(
      {
        mode: 'processes',
        workers: 2,
        startMethod: 'spawn',
        workload: { name: 'countdown', size: 1000 },
      },
      { signal: controller.signal },
    );
    // Stop once the parent has begun starting the processes (spawn: 2 × ~120 ms of its work).
    const starting = () =>
      run.timeline.snapshot().lanes[2]!.events.some((e) => e.state === 'starting');
    for (let i = 0; i < 2000 && !starting(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(starting()).toBe(true);
    controller.abort();
    await expect(run.result).rejects.toMatchObject({ name: 'AbortError' });
    // The parent's eval breaker ended its work: its lane is done, and no task ever ran.
    const lanes = run.timeline.snapshot().lanes;
    expect(lanes[2]!.events.at(-1)!.state).toBe('done');
    expect(lanes.some((l) => l.events.some((e) => e.state === 'running' && e.task !== null))).toBe(
      false,
    );
    // The parent's worker went back to the pool (or was replaced): the next run works.
    const next = await runtime.runExperiment({
      mode: 'processes',
      workers: 2,
      startMethod: 'fork',
      workload: { name: 'countdown', size: 1000 },
    }).result;
    expect(next.startup.modelled!.workedMs).toBeGreaterThan(0);
  });

  it('models the parent sending each task, one at a time across the pool, only with a start method', async () => {
    const workload = { name: 'countdown' as const, size: 1000 };
    const tasks = 12;
    const modelled = await runtime.runExperiment({
      mode: 'processes',
      workers: 2,
      tasks,
      startMethod: 'fork',
      workload,
    }).result;
    const raw = await runtime.runExperiment({ mode: 'processes', workers: 2, tasks, workload })
      .result;
    expect(raw.sending).toBeNull();
    // A reference measured before tinyTasks.sendPerTask existed models nothing (and says nothing).
    if (SEND_MODEL_MS === 0) return expect(modelled.sending).toBeNull();
    // The parent's worker did the sending work of every task, and every task ran (each process
    // waited for its task to be sent: parent-model.test.ts).
    expect(modelled.sending).toMatchObject({
      modelled: true,
      perTaskMs: SEND_MODEL_MS,
      totalMs: SEND_MODEL_MS * tasks,
      sentTasks: tasks,
      source: SEND_MODEL_SOURCE,
    });
    const ran = new Set<number>();
    for (const lane of modelled.timeline.lanes)
      for (const s of toSegments(lane.events, modelled.timeline.endMs))
        if (s.state === 'running' && s.task !== null) ran.add(s.task);
    expect(ran.size).toBe(tasks);
    // The parent's worker went back to the warm pool: the next run gets it again.
    const again = await runtime.runExperiment({
      mode: 'processes',
      workers: 2,
      tasks: 3,
      startMethod: 'fork',
      workload,
    }).result;
    expect(again.sending?.sentTasks).toBe(3);
  });

  it('keeps process workers warm for the next run, never charging their creation', async () => {
    const own = nodeRuntime();
    try {
      const config = {
        mode: 'processes' as const,
        workers: 2,
        workload: { name: 'countdown' as const, size: 1000 },
      };
      const first = await own.runtime.runExperiment(config).result;
      expect(own.runtime.liveWorkers).toBe(2);
      const second = await own.runtime.runExperiment(config).result;
      expect(own.runtime.liveWorkers).toBe(2);
      // The same two workers: the start-up they measured when created, and no second warm-up.
      expect([...second.startup.measuredMs].sort()).toEqual([...first.startup.measuredMs].sort());
      expect(first.startup.warmupMs.every((ms) => ms > 0)).toBe(true);
      expect(second.startup.warmupMs).toEqual([0, 0]);
      // Creating a worker is this browser's cost, not CPython's: no run's wall time holds it.
      expect(second.startup.includedInWall).toBe(false);
      for (const r of [first, second]) {
        const lastEnd = Math.max(
          ...r.timeline.lanes.flatMap((lane) =>
            toSegments(lane.events, r.timeline.endMs)
              .filter((s) => s.state === 'running')
              .map((s) => s.end),
          ),
        );
        const firstStart = Math.min(
          ...r.timeline.lanes.flatMap((lane) =>
            toSegments(lane.events, r.timeline.endMs)
              .filter((s) => s.state === 'running')
              .map((s) => s.start),
          ),
        );
        // Wall time is the work (first task to last result), not the work plus the creation.
        expect(r.wallMs).toBeLessThan(lastEnd - firstStart + Math.max(...r.startup.measuredMs));
      }
    } finally {
      await own.runtime.dispose();
      await own.tracker.allExited();
    }
  });

  it("models the parent's cost per task with the committed CPython reference's median", () => {
    const send = (reference.experiments as { tinyTasks?: { sendPerTask?: { medianMs: number } } })
      .tinyTasks?.sendPerTask?.medianMs;
    expect(SEND_MODEL_MS).toBeCloseTo(send ?? 0, 3);
    expect(SEND_MODEL_SOURCE).toContain(`CPython ${reference.python.version}`);
  });

  it("models start methods with the committed CPython reference's medians", () => {
    const measured = reference.experiments.startup.process;
    for (const method of ['fork', 'forkserver', 'spawn'] as const) {
      expect(START_METHOD_MODEL_MS[method]).toBeCloseTo(measured[method].medianMs, 2);
    }
    expect(START_METHOD_MODEL_SOURCE).toContain(
      `measured with CPython ${reference.python.version} on this project's reference machine`,
    );
  });

  it('computes speedup against a given baseline', async () => {
    const r = await runtime.runExperiment(
      { mode: 'gil', workers: 2, workload: { name: 'io', size: 5 } },
      { baselineWallMs: 100 },
    ).result;
    expect(r.speedup).toBeCloseTo(100 / r.wallMs);
    expect(r.efficiency).toBeCloseTo(r.speedup! / Math.min(2, r.cores));
  });

  it('reports progress per finished task', async () => {
    const seen: number[] = [];
    await runtime.runExperiment(
      { mode: 'gil', workers: 2, tasks: 4, workload: { name: 'io', size: 2 } },
      { onProgress: (p) => seen.push(p.done) },
    ).result;
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('calibrates once per runtime and scales size with the target', async () => {
    const a = await runtime.calibrate('primes', 20);
    expect(await runtime.calibrate('primes', 20)).toBe(a);
    const b = await runtime.calibrate('primes', 80);
    // Each size is its own trial's rate times its target. Not "b.size > a.size": the two are
    // separate measurements, and at load 25 two calibrations of the same work seconds apart
    // differed 20-fold, which turns that comparison into one of two timings.
    for (const c of [a, b]) {
      expect(c.trialMs).toBeGreaterThan(0);
      expect(c.size).toBe(Math.max(1, Math.round((c.trialSize * c.targetMs) / c.trialMs)));
    }
    expect(b.targetMs).toBe(80);
    const r = await runtime.runExperiment({
      mode: 'gil',
      workers: 1,
      workload: { name: 'primes', targetMs: 20 },
    }).result;
    expect(r.workload).toMatchObject({ name: 'primes', size: a.size, calibrated: true });
  });
});
