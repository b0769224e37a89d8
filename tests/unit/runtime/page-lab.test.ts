/**
 * The page lab: one queue for every run on a page, engines made on first use, readiness kept per
 * page, every worker stopped on disposal. Real engines over worker_threads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PageLab, createRuntime, type RunConfigInput } from '../../../src/runtime/index.ts';
import { nodePythonRunner, nodeWorkerFactory } from '../../../src/runtime/node/index.ts';

const threads = nodeWorkerFactory();
const python = nodePythonRunner();
let pythonRunners = 0;
const lab = new PageLab({
  createRuntime: () => createRuntime({ workerFactory: threads.factory, warmupMs: 20 }),
  createPythonRunner: () => {
    pythonRunners++;
    return python.runner;
  },
});

const COUNTDOWN: RunConfigInput = {
  mode: 'gil',
  executor: 'threads',
  workers: 2,
  tasks: 2,
  workload: { name: 'countdown', size: 2_000_000 },
};

afterAll(async () => {
  await lab.dispose();
  await python.runner.dispose();
  await Promise.all([threads.tracker.allExited(), python.tracker.allExited()]);
});

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('the page lab', () => {
  it('runs an experiment and Run Python started together one after the other', async () => {
    const log: string[] = [];
    const experiment = lab.run(async () => {
      log.push('experiment starts');
      const result = await (await lab.runtime()).runExperiment(COUNTDOWN).result;
      log.push('experiment ends');
      return result;
    });
    const program = lab.run(async () => {
      log.push('python starts');
      const runner = await lab.python();
      const result = await runner.run('import threading\nprint(threading.active_count())').result;
      log.push('python ends');
      return result;
    });
    expect(lab.busy).toBe(true);
    const [ran, printed] = await Promise.all([experiment, program]);
    expect(log).toEqual(['experiment starts', 'experiment ends', 'python starts', 'python ends']);
    expect(ran.tasks).toBe(2);
    expect(printed.ok).toBe(true);
    expect(lab.busy).toBe(false);
  });

  it('makes each engine once, on first use', async () => {
    expect(await lab.runtime()).toBe(await lab.runtime());
    expect(await lab.python()).toBe(await lab.python());
    expect(pythonRunners).toBe(1);
  });

  it('settles a run stopped while queued at once, never starts it, and passes the turn on', async () => {
    const first = gate();
    const log: string[] = [];
    const running = lab.run(async () => {
      log.push('first');
      await first.opened;
    });
    const stop = new AbortController();
    const queued = lab.run(async () => void log.push('stopped one'), stop.signal);
    const next = lab.run(async () => void log.push('next'));
    stop.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toEqual(['first']);
    first.open();
    await Promise.all([running, next]);
    expect(log).toEqual(['first', 'next']);
  });

  it('lets a started run finish after Stop, holding the turn until it ends', async () => {
    const work = gate();
    const log: string[] = [];
    const stop = new AbortController();
    const started = lab.run(async () => {
      log.push('started');
      await work.opened;
      log.push('cleaned up');
    }, stop.signal);
    const after = lab.run(async () => void log.push('after'));
    await Promise.resolve();
    await Promise.resolve();
    stop.abort();
    work.open();
    await Promise.all([started, after]);
    expect(log).toEqual(['started', 'cleaned up', 'after']);
  });

  it('gets a configuration ready once per page, and tries again after a failure', async () => {
    let calls = 0;
    const size = () => Promise.resolve(++calls);
    expect(await lab.ready('countdown', size)).toBe(1);
    expect(await lab.ready('countdown', size)).toBe(1);
    expect(lab.isReady('countdown')).toBe(true);
    await expect(lab.ready('broken', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(lab.isReady('broken')).toBe(false);
    expect(await lab.ready('broken', size)).toBe(2);
  });

  it('prepares between runs, never while one is queued or running', async () => {
    const log: string[] = [];
    const work = gate();
    const running = lab.run(() => work.opened);
    lab.prepare(async () => void log.push('prepared while busy'));
    await lab.prepared();
    work.open();
    await running;
    lab.prepare(async () => void log.push('prepared when idle'));
    await lab.prepared();
    expect(log).toEqual(['prepared when idle']);
  });

  it('stops every worker of both engines when disposed, and refuses new runs', async () => {
    const own = nodeWorkerFactory();
    const ownPython = nodePythonRunner();
    const page = new PageLab({
      createRuntime: () => createRuntime({ workerFactory: own.factory, warmupMs: 20 }),
      createPythonRunner: () => ownPython.runner,
    });
    await page.run(async () => {
      await (await page.runtime()).runExperiment(COUNTDOWN).result;
      await (await page.python()).run('print(1)').result;
    });
    expect(own.tracker.live()).toBeGreaterThan(0);
    expect(ownPython.tracker.live()).toBeGreaterThan(0);
    await page.dispose();
    await Promise.all([own.tracker.allExited(), ownPython.tracker.allExited()]);
    expect(own.tracker.live() + ownPython.tracker.live()).toBe(0);
    await expect(page.run(async () => 1)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
