import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  pythonProgram,
  type ProgramSizes,
} from '../../../src/components/experiment/python-program.ts';
import { EXECUTORS } from '../../../src/runtime/core/mode.ts';
import {
  ExperimentSettingsSchema,
  WORKLOAD_KINDS,
  type ExperimentSettings,
} from '../../../src/schemas/experiment.ts';

/** Small sizes so every variant runs in well under a second. */
const tiny: ProgramSizes = { countdown: 20_000, sleepS: 0.001, increments: 2_000, hashMB: 1 };

const dir = mkdtempSync(join(tmpdir(), 'gil-lab-python-'));

/** Runs a program from a file: process pools with spawn must be able to re-import __main__. */
function runPython(source: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `experiment-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, source);
  const result = spawnSync('python3', [file], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const settings = (overrides: Partial<ExperimentSettings>) =>
  ExperimentSettingsSchema.parse(overrides);

describe('the Python that matches an experiment', () => {
  for (const workload of WORKLOAD_KINDS) {
    for (const executor of EXECUTORS) {
      it(`runs on CPython: ${workload} with ${executor}`, () => {
        const source = pythonProgram(
          settings({ workload, executor, workers: 3, startMethod: 'spawn', switchIntervalMs: 1 }),
          tiny,
        );
        const run = runPython(source);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/wall time: \d+\.\d{3} s/);
      });
    }
  }

  it('names the pool and its size', () => {
    const source = pythonProgram(settings({ executor: 'threads', workers: 4 }));
    expect(source).toContain('ThreadPoolExecutor(max_workers=4)');
    expect(source).toContain('pool.map(countdown, [N] * 4)');
  });

  it('names the start method of a process pool', () => {
    const source = pythonProgram(settings({ executor: 'processes', startMethod: 'forkserver' }));
    expect(source).toContain('mp_context=multiprocessing.get_context("forkserver")');
  });

  it('sets the switch interval only when it is not the default', () => {
    expect(pythonProgram(settings({ switchIntervalMs: 5 }))).not.toContain('setswitchinterval');
    expect(pythonProgram(settings({ switchIntervalMs: 0.1 }))).toContain(
      'sys.setswitchinterval(0.0001)',
    );
  });

  it('says how to run it without the GIL', () => {
    expect(pythonProgram(settings({ mode: 'free-threaded' }))).toContain('PYTHON_GIL=0');
    expect(pythonProgram(settings({ mode: 'gil' }))).not.toContain('PYTHON_GIL=0');
  });

  it('shows the race with and without a lock', () => {
    const racy = runPython(pythonProgram(settings({ workload: 'race', useLock: false }), tiny));
    expect(racy.stdout).toMatch(/expected 4000, got \d+, lost \d+/);
    const locked = runPython(pythonProgram(settings({ workload: 'race', useLock: true }), tiny));
    expect(locked.stdout).toContain('expected 4000, got 4000, lost 0');
  });
});
