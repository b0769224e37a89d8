import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../src/runtime/index.ts';
import {
  matchesPremise,
  plainLoop,
  planRun,
  withSize,
} from '../../../src/components/experiment/run-plan.ts';
import {
  ExperimentSettingsSchema,
  WORKLOAD_KINDS,
  type ExperimentSettings,
} from '../../../src/schemas/experiment.ts';

const plan = (s: Partial<ExperimentSettings>) => planRun(ExperimentSettingsSchema.parse(s));

describe('turning widget settings into runtime runs', () => {
  it('maps threads with the GIL on and off onto the two lock modes', () => {
    expect(plan({ executor: 'threads', mode: 'gil' }).config).toMatchObject({
      mode: 'gil',
      executor: 'threads',
    });
    expect(plan({ executor: 'threads', mode: 'free-threaded' }).config).toMatchObject({
      mode: 'free-threaded',
      executor: 'threads',
    });
  });

  it('gives process pools their own locks and the modelled start method', () => {
    expect(plan({ executor: 'processes', startMethod: 'spawn' }).config).toMatchObject({
      mode: 'processes',
      executor: 'processes',
      startMethod: 'spawn',
    });
  });

  it('runs the convoy as CPU tasks plus one extra I/O task of many short calls', () => {
    const p = plan({ workload: 'mixed', workers: 3 });
    expect(p.config).toMatchObject({ executor: 'threads', workers: 3, tasks: 2 });
    expect(p.extraTasks).toHaveLength(1);
    expect(p.extraTasks[0]!.workload.name).toBe('io');
    expect(p.baseline).toBe(false);
  });

  it('runs asyncio as one task of many waits on one thread', () => {
    const p = plan({ workload: 'asyncio', tasks: 500, taskMs: 100 });
    expect(p.config).toMatchObject({ executor: 'sequential', workers: 1, tasks: 1 });
    expect(p.config.workload).toMatchObject({ name: 'asyncio', size: 100, calls: 500 });
  });

  it('runs small C calls that keep the GIL as the hash workload, which holds it', () => {
    const p = plan({ workload: 'native-held', executor: 'threads', workers: 4 });
    expect(p.config.workload).toMatchObject({ name: 'hash', targetMs: 300 });
    expect(plan({ workload: 'native' }).config.workload).toMatchObject({ name: 'native' });
    expect(p.baseline).toBe(true);
  });

  it('every plan is a valid runtime configuration', () => {
    for (const workload of WORKLOAD_KINDS) {
      for (const executor of ['sequential', 'threads', 'processes'] as const) {
        const { config } = plan({ workload, executor, workers: 4 });
        expect(() => parseRunConfig(withSize(config, 10))).not.toThrow();
      }
    }
  });

  it('measures speed-ups against a plain loop doing the same total work', () => {
    const config = withSize(
      plan({ workload: 'cpu', executor: 'processes', workers: 2, tasks: 1000 }).config,
      50,
    );
    expect(plainLoop(config)).toMatchObject({
      executor: 'sequential',
      tasks: 1,
      workload: { name: 'countdown', size: 50_000 },
    });
    const io = plan({ workload: 'io', executor: 'threads', workers: 4 }).config;
    expect(plainLoop(io).workload).toMatchObject({ name: 'io', calls: 4 });
  });

  it('runs race and mixed work on threads whatever executor was chosen, and says so', () => {
    for (const workload of ['race', 'mixed'] as const) {
      for (const executor of ['sequential', 'processes'] as const) {
        const p = plan({ workload, executor, workers: 1, mode: 'gil' });
        expect(p.config).toMatchObject({ executor: 'threads', mode: 'gil', workers: 2 });
        expect(p.effective).toMatchObject({ executor: 'threads', workers: 2 });
      }
    }
    expect(plan({ workload: 'cpu', executor: 'processes' }).effective.executor).toBe('processes');
  });

  it('compares a prediction only with runs of its own setup', () => {
    const premise = ExperimentSettingsSchema.parse({
      workload: 'cpu',
      executor: 'threads',
      workers: 2,
      mode: 'gil',
    });
    const run = (s: Partial<ExperimentSettings>) =>
      matchesPremise(ExperimentSettingsSchema.parse({ ...premise, ...s }), premise);
    expect(run({})).toBe(true);
    expect(run({ startMethod: 'spawn' })).toBe(true);
    expect(run({ mode: 'free-threaded' })).toBe(false);
    expect(run({ workers: 4 })).toBe(false);
    expect(run({ executor: 'processes' })).toBe(false);
    expect(run({ switchIntervalMs: 1 })).toBe(false);
    const race = ExperimentSettingsSchema.parse({
      workload: 'race',
      executor: 'threads',
      callBetween: false,
    });
    expect(matchesPremise({ ...race, executor: 'processes' }, race)).toBe(true);
    expect(matchesPremise({ ...race, callBetween: true }, race)).toBe(false);
  });
});
