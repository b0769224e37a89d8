/**
 * The convoy beside CPython under the same load: CPython's convoy measurement (python/experiments/
 * convoy.py, one I/O thread and one spinning thread, 1 s) and the widget's convoy preset in
 * Chromium, alternated round by round, so both see whatever the machine is doing at that minute.
 * The committed reference was measured on a quiet machine; this is how the two degrade together
 * when it is not (bench --convoy-live, and inside bench --loaded beside the busy loops).
 */
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { loadavg } from 'node:os';
import { resolvePreset } from '../src/components/experiment/presets.ts';
import { planRun } from '../src/components/experiment/run-plan.ts';
import { percentile } from '../src/runtime/index.ts';

/** One switch interval's figures: round trips per second beside one CPU thread. */
export interface ConvoyLiveRow {
  switchIntervalMs: number;
  /** CPython, one figure per round. */
  cpython: number[];
  /** The widget in Chromium, one figure per round (null: too few calls to count). */
  widget: (number | null)[];
  /** The widget's hand-back waits (I/O done → GIL taken), p50 and p90 per round, ms. */
  widgetWaitP50: number[];
  widgetWaitP90: number[];
  /** 1-minute load average before each round. */
  load: number[];
}

/** What the Chromium harness page exposes (tests/browser/harness.ts). */
interface Harness {
  gilHarness: {
    convoyOnce(p: unknown): Promise<{ perSecond: number | null; waits: number[] }>;
  };
}

/** CPython's convoy, one measurement: round trips per second with one spinning thread. */
function cpythonOnce(intervalMs: number): number {
  const code = `import sys; sys.path.insert(0, 'python'); from experiments.convoy import _measure; print(_measure(${intervalMs / 1000}, 1, 1.0)['roundTripsPerSecond'])`;
  return Number(execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim());
}

/** Runs `rounds` alternations per interval in one Chromium page (the harness's runtime). */
export async function convoyLive(
  intervalsMs: number[],
  rounds: number,
  log: (line: string) => void,
): Promise<ConvoyLiveRow[]> {
  const { withHarnessPage } = await import('../tests/browser/server.mjs');
  return withHarnessPage(
    async (page: Page) => {
      const rows: ConvoyLiveRow[] = intervalsMs.map((ms) => ({
        switchIntervalMs: ms,
        cpython: [],
        widget: [],
        widgetWaitP50: [],
        widgetWaitP90: [],
        load: [],
      }));
      for (let round = 0; round < rounds; round++) {
        for (const row of rows) {
          const plan = planRun({
            ...resolvePreset({ preset: 'convoy' }).settings,
            switchIntervalMs: row.switchIntervalMs,
          });
          row.load.push(loadavg()[0] ?? NaN);
          row.cpython.push(cpythonOnce(row.switchIntervalMs));
          const w: { perSecond: number | null; waits: number[] } = await page.evaluate(
            (p: unknown) => (globalThis as unknown as Harness).gilHarness.convoyOnce(p),
            { config: plan.config, extraTasks: plan.extraTasks },
          );
          row.widget.push(w.perSecond);
          row.widgetWaitP50.push(percentile(w.waits, 50));
          row.widgetWaitP90.push(percentile(w.waits, 90));
        }
        log(`convoy live: round ${round + 1}/${rounds} done`);
      }
      return rows;
    },
    { timeoutMs: 900_000 },
  );
}

/** The rows as table lines. */
export function convoyLiveTable(rows: ConvoyLiveRow[], title: string): string[] {
  const f = (x: number | null | undefined, d = 0): string =>
    x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d);
  const med = (xs: (number | null)[]): number =>
    percentile(
      xs.filter((x): x is number => x !== null),
      50,
    );
  const lines = [title];
  lines.push(
    `${'interval'.padEnd(10)}${'CPython /s (rounds)'.padEnd(30)}${'widget /s (rounds)'.padEnd(30)}${'widget ÷ CPython'.padStart(17)}  widget hand-back wait p50/p90 ms   load`,
  );
  for (const r of rows) {
    const ratio = med(r.widget) / med(r.cpython);
    lines.push(
      `${`${r.switchIntervalMs} ms`.padEnd(10)}${`${f(med(r.cpython))} (${r.cpython.map((x) => f(x)).join(', ')})`.padEnd(30)}${`${f(med(r.widget))} (${r.widget.map((x) => f(x)).join(', ')})`.padEnd(30)}${f(ratio, 2).padStart(17)}  ${`${f(med(r.widgetWaitP50), 1)}/${f(med(r.widgetWaitP90), 1)}`.padEnd(33)}${r.load.map((x) => x.toFixed(1)).join(', ')}`,
    );
  }
  return lines;
}
