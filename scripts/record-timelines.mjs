#!/usr/bin/env node
// Records one real run of every experiment preset in headless Chromium and saves it to
// src/data/recorded/<preset>.json. Pages that cannot run experiments (no cross-origin isolation)
// show these recordings, labelled as recorded, instead of a live run.
// Usage: npm run build && node scripts/record-timelines.mjs [dist] [--only PRESET[,PRESET…]]
// (npm run record:timelines -- --only tiny-tasks: builds, then records only those presets).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium-args.mjs';
import { findChromium } from './find-browser.mjs';
import { pageWeights } from './page-weight.mjs';

/** Events kept per lane: enough to see the switches, small enough to ship. */
const MAX_EVENTS = 500;
// RECORD_PORT: a port of your own when several people record at once.
const PORT = Number(process.env.RECORD_PORT ?? 4391);
const origin = `http://127.0.0.1:${PORT}`;
const { values: flags, positionals } = parseArgs({
  options: { only: { type: 'string' } },
  allowPositionals: true,
});
const dist = positionals[0] ?? 'dist';
/** Presets to record (all when not given). */
const only = flags.only ? new Set(flags.only.split(',').map((p) => p.trim())) : null;

/** Cuts a timeline where its busiest lane reaches MAX_EVENTS, so every lane stays complete. */
function trim(timeline) {
  const cut = Math.min(
    ...timeline.lanes.map((l) =>
      l.events.length > MAX_EVENTS ? l.events[MAX_EVENTS - 1].t : Infinity,
    ),
  );
  if (!Number.isFinite(cut)) return timeline;
  return {
    ...timeline,
    endMs: cut,
    truncated: true,
    lanes: timeline.lanes.map((l) => ({ ...l, events: l.events.filter((e) => e.t <= cut) })),
  };
}

const server = spawn(
  'node',
  ['scripts/static-server.mjs', dist, '--port', String(PORT), '--isolated'],
  {
    stdio: 'ignore',
  },
);
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: await findChromium(),
  args: CHROMIUM_ARGS,
});
/** Presets recorded so far. */
const done = new Set();
try {
  const page = await browser.newPage();
  mkdirSync('src/data/recorded', { recursive: true });
  for (const { page: path } of pageWeights(dist).filter((w) => w.page.startsWith('/lessons/'))) {
    await page.goto(`${origin}${path}`);
    for (const widget of await page.locator('[data-experiment]').all()) {
      const preset = await widget.getAttribute('data-experiment');
      if (!preset || done.has(preset) || (only && !only.has(preset))) continue;
      await widget.scrollIntoViewIfNeeded();
      // Twice, keeping the second: a page's first run also measures the JIT settling in.
      for (let run = 0; run < 2; run++) {
        await widget.getByRole('button', { name: 'Run', exact: true }).click();
        await page.waitForFunction(
          (el) => el instanceof HTMLElement && ['done', 'error'].includes(el.dataset.state ?? ''),
          await widget.elementHandle(),
          { timeout: 120_000 },
        );
      }
      const recorded = JSON.parse(
        await widget.evaluate((el) => {
          const host = /** @type {any} */ (el);
          return JSON.stringify(
            host.lastResult ? { settings: host.settings, result: host.lastResult } : null,
          );
        }),
      );
      if (!recorded) {
        const status = await widget.locator('[data-status]').textContent();
        throw new Error(`${preset}: the run did not finish: ${status}`);
      }
      const { values: _values, ...result } = recorded.result;
      const file = {
        preset,
        recordedAt: new Date().toISOString(),
        browser: `Chromium ${browser.version()}`,
        cores: result.cores,
        settings: recorded.settings,
        result: { ...result, timeline: trim(result.timeline) },
      };
      writeFileSync(`src/data/recorded/${preset}.json`, `${JSON.stringify(file)}\n`);
      console.log(`recorded ${preset}: ${Math.round(result.wallMs)} ms`);
      done.add(preset);
    }
  }
} finally {
  await browser.close();
  server.kill();
}
const missing = only ? [...only].filter((p) => !done.has(p)) : [];
if (missing.length) {
  console.error(`no lesson page has the preset ${missing.join(', ')}`);
  process.exitCode = 1;
}
