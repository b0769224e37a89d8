import { getEventListeners } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import {
  RunConfigError,
  RuntimeDisposedError,
  WorkerCrashedError,
  type RunConfigInput,
} from '../../../../src/runtime/index.ts';
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
  expect(tracker.live()).toBe(0);
});

/** Resolves after the first event is recorded by any lane (work has really started). */
async function started(run: {
  timeline: { snapshot(): { lanes: { events: { state: string }[] }[] } };
}): Promise<void> {
  while (
    !run.timeline
      .snapshot()
      .lanes.some((l) => l.events.some((e) => e.state === 'running' || e.state === 'io'))
  ) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('cancellation', () => {
  it.each(['gil', 'free-threaded'] as const)(
    'stops running %s work and returns threads clean and reusable',
    async (mode) => {
      const ctrl = new AbortController();
      const run = runtime.runExperiment(
        { mode, workers: 2, workload: { name: 'countdown', size: 5e10 } },
        { signal: ctrl.signal },
      );
      await started(run);
      ctrl.abort();
      await expect(run.result).rejects.toMatchObject({ name: 'AbortError' });
      const again = await runtime.runExperiment({
        mode: 'gil',
        workers: 2,
        workload: { name: 'countdown', size: 1e5 },
      }).result;
      expect(again.values).toHaveLength(2);
    },
  );

  it('wakes a thread sleeping in blocking I/O', { timeout: 10_000 }, async () => {
    const run = runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      workload: { name: 'io', size: 30_000 },
    });
    await started(run);
    run.cancel();
    await expect(run.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops a C-extension call and terminates the processes of a process pool', async () => {
    const before = tracker.live();
    const ctrl = new AbortController();
    const run = runtime.runExperiment(
      { mode: 'processes', workers: 2, workload: { name: 'native', size: 1e6 } },
      { signal: ctrl.signal },
    );
    await started(run).then(() => new Promise((r) => setTimeout(r, 20)));
    ctrl.abort();
    await expect(run.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(tracker.live()).toBe(before);
  });

  it('does not keep finished runs alive through a signal reused across runs', async () => {
    const ctrl = new AbortController();
    for (let i = 0; i < 3; i++) {
      const run = runtime.runExperiment(
        { mode: 'gil', workers: 2, workload: { name: 'io', size: 1 } },
        { signal: ctrl.signal },
      );
      expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(1); // listening while it runs
      await run.result;
      expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(0); // removed when it finished
    }
    const failed = runtime.runExperiment(
      { mode: 'gil', workers: 1, workload: { name: 'io', size: 1 } },
      { signal: ctrl.signal },
    );
    failed.cancel();
    await expect(failed.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(getEventListeners(ctrl.signal, 'abort')).toHaveLength(0); // also after a failed run
  });

  it('rejects at once when the signal is already aborted', async () => {
    const run = runtime.runExperiment(
      { mode: 'gil', workers: 1, workload: { name: 'io', size: 1 } },
      { signal: AbortSignal.abort() },
    );
    await expect(run.result).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('crashes', () => {
  it('rejects with a clear error, not a hang, when a worker dies mid-run', async () => {
    const own = nodeRuntime();
    const run = own.runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      workload: { name: 'countdown', size: 5e10 },
    });
    await started(run);
    expect(own.tracker.live()).toBe(2);
    await own.tracker.alive()[0]!.terminate(); // from outside: the runtime did not ask for this
    await expect(run.result).rejects.toBeInstanceOf(WorkerCrashedError);
    // Named as the timeline labels the lane, not by the runtime's internal worker name.
    await expect(run.result).rejects.toThrow(/^Thread-[12] crashed: exited unexpectedly/);
    await expect(run.result).rejects.toMatchObject({
      worker: expect.stringMatching(/^Thread-[12]$/),
    });
    expect(own.runtime.liveWorkers).toBe(1); // the survivor is back in the warm pool, clean
    const again = await own.runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      workload: { name: 'countdown', size: 1e5 },
    }).result;
    expect(again.values).toHaveLength(2);
    await own.runtime.dispose();
    await own.tracker.allExited();
    expect(own.tracker.live()).toBe(0);
  });

  it('rejects when a worker fails to load', async () => {
    const broken = nodeRuntime(new URL('../crash-on-load.worker.ts', import.meta.url));
    await expect(
      broken.runtime.runExperiment({ mode: 'gil', workers: 2, workload: { name: 'io', size: 1 } })
        .result,
    ).rejects.toThrow(/crashed: .*fails to load on purpose/);
    await broken.tracker.allExited();
    expect(broken.tracker.live()).toBe(0);
    expect(broken.runtime.liveWorkers).toBe(0);
  });
});

describe('dispose', () => {
  /** `p`, or 'hung' if it has not settled within `ms` (so a hang fails the test instead of timing out). */
  const within = <T>(p: Promise<T>, ms: number): Promise<T | 'hung'> =>
    Promise.race([p, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))]);

  it.each([
    ['threads', { mode: 'gil', workers: 2 }],
    ['processes', { mode: 'processes', workers: 2 }],
  ] as const)(
    'mid-run rejects the run (%s) with a clear AbortError and leaves no live worker',
    async (_, config) => {
      const own = nodeRuntime();
      const run = own.runtime.runExperiment({
        ...config,
        workload: { name: 'countdown', size: 5e10 },
      });
      await started(run);
      await own.runtime.dispose();
      const settled = await within(
        run.result.then(
          () => 'resolved',
          (e: unknown) => e,
        ),
        10_000,
      );
      expect(settled).toBeInstanceOf(RuntimeDisposedError);
      expect(settled).toMatchObject({ name: 'AbortError', message: /the runtime was disposed/ });
      await own.tracker.allExited();
      expect(own.tracker.live()).toBe(0);
      expect(own.runtime.liveWorkers).toBe(0);
    },
  );

  it('rejects a run started afterwards instead of starting workers again', async () => {
    const own = nodeRuntime();
    await own.runtime.dispose();
    await own.runtime.dispose(); // twice is fine
    const run = own.runtime.runExperiment({
      mode: 'gil',
      workers: 2,
      workload: { name: 'io', size: 1 },
    });
    await expect(within(run.result, 10_000)).rejects.toBeInstanceOf(RuntimeDisposedError);
    expect(own.tracker.workers).toHaveLength(0);
  });
});

describe('invalid configuration', () => {
  const bad: [string, RunConfigInput | object, RegExp][] = [
    [
      '0 workers',
      { workers: 0, workload: { name: 'countdown', size: 1 } },
      /workers: must be an integer from 1 to 64 \(got 0\)/,
    ],
    [
      '1,000 workers',
      { workers: 1000, workload: { name: 'countdown', size: 1 } },
      /workers: must be an integer from 1 to 64 \(got 1000\)/,
    ],
    [
      'a negative size',
      { workload: { name: 'countdown', size: -5 } },
      /workload\.size: must be an integer from 1 to .* iterations for countdown \(got -5\)/,
    ],
    [
      'a negative buffer',
      { workload: { name: 'hash', size: 1, bytes: -1 } },
      /workload\.bytes: must be an integer from 1024 to 67108864 bytes/,
    ],
    [
      'an unknown workload',
      { workload: { name: 'sleep', size: 1 } },
      /workload\.name: must be one of countdown, primes, hash, mandelbrot, io, native, race, asyncio \(got "sleep"\)/,
    ],
    [
      'a too short interval',
      { switchIntervalMs: 0.01, workload: { name: 'io', size: 1 } },
      /switchIntervalMs: must be a number from 0\.05 to 100 ms \(got 0\.01\)/,
    ],
    [
      'a too long interval',
      { switchIntervalMs: 250, workload: { name: 'io', size: 1 } },
      /switchIntervalMs: must be a number from 0\.05 to 100 ms/,
    ],
    [
      'a thread pool in processes mode',
      { mode: 'processes', executor: 'threads', workload: { name: 'io', size: 1 } },
      /executor: "threads" cannot run mode "processes"/,
    ],
    [
      'a race between processes',
      { mode: 'processes', workload: { name: 'race', size: 1 } },
      /workload\.name: race needs memory shared/,
    ],
    [
      'both size and targetMs',
      { workload: { name: 'io', size: 1, targetMs: 5 } },
      /workload\.size: give exactly one of size or targetMs/,
    ],
    [
      'an unknown field',
      { workload: { name: 'io', size: 1 }, threads: 2 },
      /config: Unrecognized key: "threads"/,
    ],
  ];
  it.each(bad)('rejects %s, naming the field and the allowed range', (_, config, message) => {
    const before = runtime.liveWorkers;
    expect(() => runtime.runExperiment(config as RunConfigInput)).toThrow(RunConfigError);
    expect(() => runtime.runExperiment(config as RunConfigInput)).toThrow(message);
    expect(runtime.liveWorkers).toBe(before);
  });
});
