import { afterAll, describe, expect, it } from 'vitest';
import {
  parseRunConfig,
  RunConfigError,
  type RunConfigInput,
} from '../../../../src/runtime/index.ts';
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
  expect(tracker.live()).toBe(0);
});

const io = { mode: 'gil', workers: 2, workload: { name: 'io', size: 1 } } as const;
const countdown = { mode: 'gil', workers: 1, workload: { name: 'countdown', size: 1000 } } as const;
const NAMES = 'countdown, primes, hash, mandelbrot, io, native, race, asyncio';

describe('Executor.setSwitchInterval', () => {
  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [0, '0'],
    [-1, '-1'],
    [0.01, '0.01'],
    [1e7, '10000000'],
  ])('rejects %s with a RunConfigError naming the field and the range', async (ms, shown) => {
    const ex = runtime.executor(io);
    expect(() => ex.setSwitchInterval(ms)).toThrow(RunConfigError);
    expect(() => ex.setSwitchInterval(ms)).toThrow(
      new RegExp(`switchIntervalMs: must be a number from 0\\.05 to 100 ms \\(got ${shown}\\)`),
    );
    await ex.map();
    const r = await ex.shutdown();
    expect(r.switchIntervalMs).toBe(5); // the rejected value never took effect
    expect(r.switchIntervalsMs).toEqual([5]);
  });

  it('reports the interval in effect at the end and every interval the run used', async () => {
    const ex = runtime.executor({ ...io, switchIntervalMs: 2 });
    ex.setSwitchInterval(0.05);
    ex.setSwitchInterval(0.05); // no change: not listed twice
    ex.setSwitchInterval(100);
    await ex.map();
    const r = await ex.shutdown();
    expect(r.switchIntervalMs).toBe(100);
    expect(r.switchIntervalsMs).toEqual([2, 0.05, 100]);
  });
});

describe('Executor.submit overrides', () => {
  it.each([
    [
      { size: -5 },
      /workload\.size: must be an integer from 1 to 100000000000 iterations for countdown \(got -5\)/,
    ],
    [{ size: 1.5e12 }, /workload\.size: .*from 1 to 100000000000 .*\(got 1500000000000\)/],
    [{ size: NaN }, /workload\.size: must be an integer from 1 to 100000000000 .*\(got NaN\)/],
    [{ size: 2.5 }, /workload\.size: must be an integer .*\(got 2\.5\)/],
    [
      { workload: { name: 'nope' } },
      new RegExp(`workload\\.name: must be one of ${NAMES} \\(got "nope"\\)`),
    ],
    [
      { workload: { name: 'io', size: -1 } },
      /workload\.size: must be a number from 0 to 60000 ms per blocking call for io \(got -1\)/,
    ],
    [
      { workload: { name: 'io', size: 1 }, size: 1e9 },
      /workload\.size: .*for io \(got 1000000000\)/,
    ],
    [{ workload: { calls: 0 } }, /workload\.calls: must be an integer from 1 to 100000 \(got 0\)/],
  ])('rejects %o with a RunConfigError and submits nothing', async (task, message) => {
    const ex = runtime.executor(countdown);
    const bad = task as Parameters<typeof ex.submit>[0];
    expect(() => ex.submit(bad)).toThrow(RunConfigError);
    expect(() => ex.submit(bad)).toThrow(message);
    const r = await ex.shutdown();
    expect(r.values).toEqual([]);
  });

  it('still runs valid overrides', async () => {
    const ex = runtime.executor(countdown);
    const a = ex.submit({ size: 10 });
    const b = ex.submit({ workload: { name: 'io', size: 1 } });
    await Promise.all([a.result(), b.result()]);
    expect((await ex.shutdown()).values).toHaveLength(2);
  });
});

describe('Runtime.calibrate and measureLock', () => {
  it('rejects an unknown workload with a RunConfigError, not a raw ZodError', () => {
    const call = () => runtime.calibrate('nope' as 'io', 5);
    expect(call).toThrow(RunConfigError);
    expect(call).toThrow(new RegExp(`workload\\.name: must be one of ${NAMES} \\(got "nope"\\)`));
  });

  it.each([
    [-1, '-1'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ])('rejects a target of %s ms, naming the range', (ms, shown) => {
    const call = () => runtime.calibrate('countdown', ms);
    expect(call).toThrow(RunConfigError);
    expect(call).toThrow(
      new RegExp(
        `workload\\.targetMs: must be a number from 0\\.05 to 60000 ms \\(got ${shown}\\)`,
      ),
    );
  });

  it.each([
    [-1, '-1'],
    [0, '0'],
    [NaN, 'NaN'],
    [1.5, '1\\.5'],
  ])('measureLock(%s) rejects, naming the range', async (n, shown) => {
    const before = runtime.liveWorkers;
    await expect(runtime.measureLock(n)).rejects.toBeInstanceOf(RunConfigError);
    await expect(runtime.measureLock(n)).rejects.toThrow(
      new RegExp(`iterations: must be an integer from 1 to 100000000 \\(got ${shown}\\)`),
    );
    expect(runtime.liveWorkers).toBe(before);
  });

  it('measureLock still measures a positive cost', async () => {
    expect(await runtime.measureLock(10_000)).toBeGreaterThan(0);
  });
});

describe('run configuration messages', () => {
  const bad: [string, object, RegExp][] = [
    [
      'NaN workers',
      { workers: NaN, workload: { name: 'io', size: 1 } },
      /workers: must be an integer from 1 to 64 \(got NaN\)/,
    ],
    [
      'an infinite size',
      { workload: { name: 'countdown', size: Infinity } },
      /workload\.size: must be an integer from 1 to 100000000000 iterations for countdown \(got Infinity\)/,
    ],
    [
      'a size given as a string',
      { workload: { name: 'countdown', size: '5' } },
      /workload\.size: must be an integer from 1 to 100000000000 iterations for countdown \(got "5"\)/,
    ],
    [
      'a NaN interval',
      { switchIntervalMs: NaN, workload: { name: 'io', size: 1 } },
      /switchIntervalMs: must be a number from 0\.05 to 100 ms \(got NaN\)/,
    ],
    [
      'an infinite target',
      { workload: { name: 'io', targetMs: -Infinity } },
      /workload\.targetMs: must be a number from 0\.05 to 60000 ms \(got -Infinity\)/,
    ],
  ];
  it.each(bad)('prints %s as given, with the allowed range', (_, config, message) => {
    expect(() => runtime.runExperiment(config as RunConfigInput)).toThrow(RunConfigError);
    expect(() => runtime.runExperiment(config as RunConfigInput)).toThrow(message);
  });
});

describe('executor names', () => {
  it('names the allowed executors when given an unknown one', () => {
    expect(() => parseRunConfig({ executor: 'pool', workload: { name: 'io', size: 1 } })).toThrow(
      /executor: must be one of sequential, threads, processes \(got "pool"\)/,
    );
  });

  it.each([
    ['thread-pool', 'gil', 'threads'],
    ['process-pool', 'processes', 'processes'],
  ] as const)(
    "still reads the earlier spelling %s (stored before issue 13) as today's",
    (old, mode, today) => {
      const c = parseRunConfig({ executor: old, workload: { name: 'io', size: 1 } });
      expect(c).toMatchObject({ executor: today, mode });
    },
  );
});
