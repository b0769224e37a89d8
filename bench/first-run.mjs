// First Run: time from the click on Run to the lanes moving (the first event where a thread
// computes or waits on I/O, as the live timeline marks it: data-first-motion), in the built site
// (dist/: npm run build first) in headless Chromium. Each preset: a first visit (a new browser
// context: nothing remembered) and a second one in the same context (sizes remembered per device),
// each after the page has had `--settle-ms` to get ready at idle (default 5000).
// Usage: node bench/first-run.mjs [--settle-ms N] [--rounds N]; prints a table, returns rows.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';
import { findChromium } from '../scripts/find-browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

/** Where each preset lives (lesson pages embed them). */
const PRESETS = [
  ['countdown-gil', '/lessons/what-is-the-gil/'],
  ['cpu-processes', '/lessons/threads-vs-processes/'],
];

/** One First Run on a page already open: ms from the click to the lanes moving. */
async function firstRun(page, preset, settleMs) {
  const widget = page.locator(`[data-experiment="${preset}"]`).first();
  await widget.scrollIntoViewIfNeeded();
  await page.waitForTimeout(settleMs);
  const run = widget.getByRole('button', { name: 'Run', exact: true });
  await run.evaluate((button) =>
    button.addEventListener('click', () => (globalThis.benchClickAt = performance.now()), {
      capture: true,
      once: true,
    }),
  );
  await run.click();
  const figure = widget.locator('[data-timeline]');
  await figure.and(page.locator('[data-first-motion]')).waitFor({ timeout: 120_000 });
  const ms = await figure.evaluate(
    (el) => Number(el.dataset.firstMotion) - globalThis.benchClickAt,
  );
  await widget
    .and(page.locator(':not([data-state="running"])'))
    .waitFor({ timeout: 300_000 })
    .catch(() => undefined);
  return ms;
}

/** Measures every preset `rounds` times (first and second visit each); resolves with the rows. */
export async function measureFirstRun({ settleMs = 5000, rounds = 1, log = () => undefined } = {}) {
  const root = fileURLToPath(new URL('../dist', import.meta.url));
  if (!existsSync(root)) throw new Error('no dist/: run npm run build first');
  const { chromium } = await import('playwright-core');
  const site = await serveStatic({ root, isolated: true });
  const browser = await chromium.launch({
    executablePath: await findChromium(),
    args: CHROMIUM_ARGS,
  });
  const rows = [];
  try {
    for (const [preset, path] of PRESETS) {
      const row = { preset, firstVisitMs: [], secondVisitMs: [], load: [] };
      for (let r = 0; r < rounds; r++) {
        const context = await browser.newContext();
        try {
          row.load.push(loadavg()[0]);
          for (const list of [row.firstVisitMs, row.secondVisitMs]) {
            const page = await context.newPage();
            await page.goto(`${site.url}${path}`);
            list.push(await firstRun(page, preset, settleMs));
            await page.close();
          }
        } finally {
          await context.close();
        }
        log(`first run: ${preset} round ${r + 1}/${rounds} done`);
      }
      rows.push(row);
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return rows;
}

/** The rows as table lines (target: lanes moving within 150 ms on a quiet machine). */
export function firstRunTable(rows, settleMs) {
  const f = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  return [
    `First Run: click → lanes moving, ms (built site, Chromium, after ${settleMs} ms at idle; target ≤ 150 on a quiet machine)`,
    `${'preset'.padEnd(16)}${'first visit'.padEnd(22)}${'second visit'.padEnd(22)}load`,
    ...rows.map(
      (r) =>
        `${r.preset.padEnd(16)}${f(r.firstVisitMs).padEnd(22)}${f(r.secondVisitMs).padEnd(22)}${r.load.map((x) => x.toFixed(1)).join(', ')}`,
    ),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { 'settle-ms': { type: 'string' }, rounds: { type: 'string' } },
  });
  const settleMs = Number(values['settle-ms'] ?? 5000);
  const rows = await measureFirstRun({
    settleMs,
    rounds: Number(values.rounds ?? 1),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  console.log(firstRunTable(rows, settleMs).join('\n'));
}
