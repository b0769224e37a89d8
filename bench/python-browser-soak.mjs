#!/usr/bin/env node
/**
 * Endurance of Run Python in Chromium (issue 16): 100 runs (default; `-- 40` for fewer) of the
 * built playground page's Run Python, alternating a program from a mix of normal and hostile ones
 * (os._exit, a fatal deep recursion, patched builtins and modules, a 600 MB bytearray past the
 * 512 MiB limit, js.self.close(), a 300 kB line, an endless loop stopped with Stop, a thread, an
 * exception) with a normal program that must print what it should: the page keeps working.
 *
 * Memory is the page's renderer process (its main thread and every worker thread, so the
 * interpreters' WebAssembly memory) read from /proc as resident memory after a garbage
 * collection; the first figure is taken after the first run. The target: the last figure within
 * 20 % of the first. Exits 1 when a check or the target fails. Not part of npm test (minutes of
 * CPU): `npm run soak:browser` (builds first unless `--no-build`; `--free-threaded` runs with the
 * GIL switch off, on one interpreter per thread), then report the figure.
 */
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';
import { findChromium } from '../scripts/find-browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { rendererRss, setCode } from './chromium-page.mjs';

const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? 100);
const TARGET = 0.2;

/** [name, source, how it ends] of the mixed programs, taken in turn. */
const PROGRAMS = [
  [
    'thread',
    'import threading\nt = threading.Thread(target=print, args=("t",))\nt.start(); t.join()',
    'done',
  ],
  ['normal', 'print(sum(range(1000)))', 'done'],
  [
    'builtins',
    'import builtins, time\nbuiltins.print = None\ntime.perf_counter = lambda: 0.0',
    'done',
  ],
  ['os._exit', 'import os\nos._exit(3)', 'any'],
  ['exception', 'raise ValueError("boom")', 'error'],
  ['big', 'b = bytearray(600 * 1024 * 1024)\nprint(len(b))', 'any'],
  [
    'recursion',
    'import sys\nsys.setrecursionlimit(10**5)\ndef f(n): return f(n + 1) + 1\nf(0)',
    'any',
  ],
  [
    'modules',
    'import json, collections\njson.dumps = None\ncollections.Counter.most_common = None',
    'done',
  ],
  ['js.self.close', 'import js\njs.self.close()', 'any'],
  ['long line', 'print("x" * 300_000 + "THE END")', 'done'],
  [
    'os._exit in a thread',
    'import os, threading\nt = threading.Thread(target=os._exit, args=(1,))\nt.start(); t.join()',
    'any',
  ],
  ['endless loop, Stop', 'while True:\n    pass', 'stop'],
];
const CHECK = [
  'check',
  'import json, time\nprint(json.dumps([1]), time.perf_counter() > 0)',
  'done',
];
const CHECK_OUTPUT = '[1] True';

if (!args.includes('--no-build')) {
  const built = spawnSync('npx', ['astro', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const server = await serveStatic({ root: 'dist', isolated: true });
// A server, not launch(): its process id finds the renderer's memory in /proc.
const browserServer = await chromium.launchServer({
  executablePath: await findChromium(),
  args: CHROMIUM_ARGS,
});
const browser = await chromium.connect(browserServer.wsEndpoint());
const page = await browser.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
await page.goto(`${server.url}/playground/`);
await page.locator('html[data-isolation="isolated"]').waitFor({ timeout: 60_000 });
const cdp = await page.context().newCDPSession(page);
const runner = page.locator('gil-python').first();
// GIL on (default): every run on the one-interpreter engine; --free-threaded: the GIL switch off,
// so one interpreter per thread.
const freeThreaded = args.includes('--free-threaded');
if (freeThreaded) await runner.locator('input[data-gil]').uncheck();

/** Resident memory of the page's renderer process(es), bytes, after a garbage collection. */
async function rendererMemory() {
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(500);
  return rendererRss(browserServer.process().pid);
}

/** Runs one program to its end; returns [final data-state, output text]. */
async function runProgram([name, source, ends]) {
  await setCode(page, runner, source);
  const handle = await runner.elementHandle();
  // Noted as it happens: a short run may start and end between two polls.
  await handle.evaluate((el) => {
    el.soakStarted = false;
    const seen = new MutationObserver(() => {
      if (el.dataset.state === 'loading' || el.dataset.state === 'running') {
        el.soakStarted = true;
        seen.disconnect();
      }
    });
    seen.observe(el, { attributes: true, attributeFilter: ['data-state'] });
  });
  await runner.getByRole('button', { name: 'Run Python' }).click();
  if (ends === 'stop') {
    await page.waitForFunction((el) => el.dataset.state === 'running', handle, { timeout: 60_000 });
    await page.waitForTimeout(1000);
    await runner.getByRole('button', { name: 'Stop' }).click();
  }
  await page.waitForFunction(
    (el) =>
      el.soakStarted &&
      !['idle', 'loading', 'running'].includes(el.dataset.state ?? 'idle') &&
      !el.querySelector('[data-run]').disabled,
    handle,
    { timeout: 120_000 },
  );
  const state = await runner.getAttribute('data-state');
  const output = (await runner.locator('[data-output] pre').textContent()) ?? '';
  const status = (await runner.getByRole('status').textContent()) ?? '';
  const expected = { done: ['done'], error: ['error'], stop: ['stopped'], any: null }[ends];
  if (expected && !expected.includes(state))
    throw new Error(`${name}: ended "${state}", expected ${expected}; status: ${status}`);
  return { state, output, status };
}

const mb = (n) => `${(n / 2 ** 20).toFixed(0)} MB`;
const t0 = performance.now();
let first = 0;
let last = 0;
let peak = 0;
const failures = [];
let inARow = 0;
for (let i = 0; i < RUNS; i++) {
  const program = i % 2 === 1 ? CHECK : PROGRAMS[(i / 2) % PROGRAMS.length];
  try {
    const { state, output, status } = await runProgram(program);
    if (program === CHECK && !output.includes(CHECK_OUTPUT))
      throw new Error(`the next run is broken: "${output.slice(-200)}" (${state}; ${status})`);
    if (program[0] === 'long line' && !output.trimEnd().endsWith('THE END'))
      throw new Error(`the long line lost its end: "${output.slice(-40)}"`);
    inARow = 0;
    last = await rendererMemory();
    if (i === 0) first = last;
    peak = Math.max(peak, last);
    console.log(
      `${String(i + 1).padStart(3)} ${program[0].padEnd(22)} ${state.padEnd(8)} renderer ${mb(last)}`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    failures.push(`run ${i + 1} (${program[0]}): ${message}`);
    console.log(`${String(i + 1).padStart(3)} ${program[0].padEnd(22)} FAILED ${message}`);
    // The page is stuck: more runs would only wait for their timeouts.
    if (++inARow === 5) break;
  }
}
const growth = first ? last / first - 1 : NaN;
const seconds = ((performance.now() - t0) / 1000).toFixed(0);
await browser.close();
await browserServer.close();
await server.close();

if (pageErrors.length) console.log(`uncaught page errors: ${pageErrors.join(' | ')}`);
if (failures.length) console.log(`${failures.length} FAILED:\n  ${failures.join('\n  ')}`);
console.log(
  `${RUNS} runs (${freeThreaded ? 'free-threaded' : 'GIL on'}) in ${seconds} s: renderer memory ${mb(first)} after the first run, ${mb(last)} at the end ` +
    `(${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %; peak ${mb(peak)}); target within ${TARGET * 100} %: ` +
    `${Math.abs(growth) <= TARGET ? 'MET' : 'MISSED'}`,
);
const ok = Math.abs(growth) <= TARGET && !failures.length && !pageErrors.length;
process.exit(ok ? 0 : 1);
