/**
 * The processes preset beside CPython under the same load: CPython's countdown on a 2-process fork
 * pool against two countdowns one after another (python/experiments/countdown.py, pool created and
 * shut down inside the timing, as the reference measures it) and the widget's cpu-processes preset
 * against its plain loop in Chromium, alternated round by round, so both see whatever the machine
 * is doing at that minute. Two processes need two free cores: on a busy machine both speed-ups
 * fall, and this says whether the widget falls more than CPython (bench --processes-live).
 * The same for the tiny-tasks preset (bench --tiny-live): 1,000 countdowns of CPython's 0.08 ms
 * on a fresh 2-process fork pool against a plain loop (python/experiments/tiny_tasks.py), where the
 * parent's sending is the cost, and a busy machine slows it as it slows the loop.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { loadavg } from 'node:os';
import { resolvePreset } from '../src/components/experiment/presets.ts';
import { planRun } from '../src/components/experiment/run-plan.ts';
import type { RunConfigInput } from '../src/runtime/index.ts';
import { percentile } from '../src/runtime/index.ts';
import reference from '../src/data/cpython-reference.json' with { type: 'json' };

/** Speed-ups (plain loop ÷ pool) per round, and the load before each. */
export interface ProcessesLiveRow {
  cpython: number[];
  widget: number[];
  load: number[];
}

const countdown = reference.experiments.countdown;

/** CPython, one pair: two countdowns in a row, then on a fresh 2-process fork pool; the speed-up. */
function cpythonProcessesOnce(): number {
  const code = [
    'import sys, time',
    "sys.path.insert(0, 'python')",
    'from experiments.countdown import _processes, _sequential',
    "_processes(1000, 1, 'fork')",
    `t0 = time.perf_counter(); _sequential(${countdown.n}, 2); seq = time.perf_counter() - t0`,
    `t0 = time.perf_counter(); _processes(${countdown.n}, 2, 'fork'); pool = time.perf_counter() - t0`,
    'print(seq / pool)',
  ].join('\n');
  return Number(execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim());
}

const tiny = (
  reference.experiments as { tinyTasks?: { n: number; tasks: number; loop: { medianS: number } } }
).tinyTasks;

/** CPython, one pair: the tiny tasks in a plain loop, then on a fresh 2-process fork pool. */
function cpythonTinyOnce(): number {
  if (!tiny) throw new Error('the CPython reference has no tinyTasks: run npm run measure:cpython');
  const code = [
    'import sys, time',
    "sys.path.insert(0, 'python')",
    'from experiments.tiny_tasks import _loop, _pool',
    `_pool(${tiny.n}, 2)`,
    `t0 = time.perf_counter(); _loop(${tiny.n}, ${tiny.tasks}); loop = time.perf_counter() - t0`,
    `t0 = time.perf_counter(); _pool(${tiny.n}, ${tiny.tasks}); pool = time.perf_counter() - t0`,
    'print(loop / pool)',
  ].join('\n');
  return Number(execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim());
}

/** Which preset goes beside which CPython shape. */
const LIVE = {
  processes: {
    preset: 'cpu-processes',
    taskMs: countdown.once.medianS * 1000,
    cpythonOnce: cpythonProcessesOnce,
  },
  'tiny-tasks': {
    preset: 'tiny-tasks',
    taskMs: tiny ? (tiny.loop.medianS * 1000) / tiny.tasks : 0.1,
    cpythonOnce: cpythonTinyOnce,
  },
} as const;

/** What the Chromium harness page exposes (tests/browser/harness.ts). */
interface Harness {
  gilHarness: {
    pairOnce(run: RunConfigInput): Promise<number>;
  };
}

/** Runs `rounds` alternations in one Chromium page (the harness's runtime, sized once). */
export async function processesLive(
  rounds: number,
  log: (line: string) => void,
  shape: keyof typeof LIVE = 'processes',
): Promise<ProcessesLiveRow> {
  const { withHarnessPage } = await import('../tests/browser/server.mjs');
  const { preset, taskMs, cpythonOnce } = LIVE[shape];
  const plan = planRun({ ...resolvePreset({ preset }).settings, taskMs });
  return withHarnessPage(
    async (page: Page) => {
      const row: ProcessesLiveRow = { cpython: [], widget: [], load: [] };
      for (let round = 0; round < rounds; round++) {
        row.load.push(loadavg()[0] ?? NaN);
        row.cpython.push(cpythonOnce());
        row.widget.push(
          await page.evaluate(
            (run) => (globalThis as unknown as Harness).gilHarness.pairOnce(run),
            plan.config,
          ),
        );
        log(`${shape} live: round ${round + 1}/${rounds} done`);
      }
      return row;
    },
    { timeoutMs: 900_000 },
  );
}

/** The row as table lines. */
export function processesLiveTable(row: ProcessesLiveRow, title: string): string[] {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  const med = (xs: number[]) => percentile(xs, 50);
  return [
    title,
    `  CPython  ${f(med(row.cpython))}× (rounds ${row.cpython.map(f).join(', ')})`,
    `  widget   ${f(med(row.widget))}× (rounds ${row.widget.map(f).join(', ')})`,
    `  widget ÷ CPython ${f(med(row.widget) / med(row.cpython))}; load ${row.load.map((x) => x.toFixed(1)).join(', ')}`,
  ];
}
