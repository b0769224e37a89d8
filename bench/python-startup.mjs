// Run Python's start-up in the built site (dist/: npm run build first) in headless Chromium with a
// persistent profile, so the HTTP cache, Cache Storage and V8's compiled-code cache survive from
// page to page as they do for a reader. Each round starts from an empty profile:
//   cold       the first Run Python of a visit (click → first line of output, ms)
//   warm       the same page again (median of 3)
//   memory     what the page's renderer processes hold of their own after a 4-thread GIL-mode
//              program (every isolate's garbage collected, `--settle-ms` later), less what they
//              held before Python loaded, in a Chromium of its own without DevTools' Network
//              domain (memoryOfProgram() says why): Chromium's private memory
//              footprint (RssAnon + VmSwap, chromium-page.mjs rendererMemory()), the figure the
//              target is of. Beside it the resident set (it also counts pages of Chromium's own
//              executable and libraries that running Python's wasm touched: shared with every
//              Chromium process, so not what this program costs the machine) and
//              performance.measureUserAgentSpecificMemory (JS and wasm heaps only)
//   next page  another page's first Run Python, after `--settle-ms` of reading (V8 writes its code
//              cache a while after the code got hot); `third page` the one after
// Each time is printed with the 1-minute load average of when it was taken (on this shared
// machine a wall-clock figure means little without it) and the CPU time the renderer processes
// spent meanwhile (page, workers, V8's compiler threads): the work itself, which load inflates far
// less. Not a test: timings live in the bench.
// Usage: node bench/python-startup.mjs [--rounds N] [--settle-ms N] [--dist DIR]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';
import { findChromium } from '../scripts/find-browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import {
  browserPidFor,
  rendererCpuMs,
  rendererMemory as processMemory,
  setCode,
} from './chromium-page.mjs';

/** The pages a round visits, in order: each has a Run Python block. */
const PAGES = ['/playground/', '/lessons/threading-basics/', '/lessons/race-conditions/'];

/** A GIL-mode program with 4 threads: what the memory figure is of. */
const FOUR = `import threading
def work(i):
    print("thread", i, sum(range(200_000)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()`;

const load = () => loadavg()[0];

/** Opens `path` and waits until the page is cross-origin isolated. */
async function open(page, url) {
  await page.goto(url);
  await page.locator('html[data-isolation="isolated"]').waitFor({ timeout: 60_000 });
  return page.locator('gil-python').first();
}

/**
 * Runs `source` in the page's first Run Python block; resolves with ms from the click to the
 * first output containing `marker` (seen by a MutationObserver as the reader would see it), the
 * load average then, and the run's result.
 */
async function timedRun(page, source, marker, root) {
  const runner = page.locator('gil-python').first();
  await setCode(page, runner, source);
  const handle = await runner.elementHandle();
  await handle.evaluate((el, m) => {
    el.benchClick = null;
    el.benchOutput = null;
    const pre = el.querySelector('[data-output] pre');
    const seen = new MutationObserver(() => {
      if (el.benchClick !== null && pre.textContent.includes(m)) {
        el.benchOutput = performance.now();
        seen.disconnect();
      }
    });
    seen.observe(pre, { childList: true, subtree: true, characterData: true });
    el.querySelector('[data-run]').addEventListener(
      'click',
      () => (el.benchClick = performance.now()),
      { capture: true, once: true },
    );
  }, marker);
  const loadAverage = load();
  const cpu0 = root === null ? NaN : rendererCpuMs(root);
  await runner.getByRole('button', { name: 'Run Python' }).click();
  await page.waitForFunction(
    (el) =>
      el.benchOutput !== null && !['idle', 'loading', 'running'].includes(el.dataset.state ?? ''),
    handle,
    { timeout: 180_000 },
  );
  const cpuMs = root === null ? NaN : rendererCpuMs(root) - cpu0;
  const ms = await handle.evaluate((el) => el.benchOutput - el.benchClick);
  const result = JSON.parse((await runner.getAttribute('data-result')) ?? '{}');
  return { ms, cpuMs, load: loadAverage, engine: result.engine, startedFrom: result.startedFrom };
}

/**
 * What a GIL-mode program costs the reader's machine in memory, measured in a Chromium of its own
 * driven over a bare DevTools connection: Playwright switches DevTools' Network domain on in the
 * page and in every worker, and DevTools then keeps a copy of every response body in the renderer
 * (pyodide.asm.wasm, the snapshot and the stdlib, page's and worker's fetches alike: some 45 MB a
 * reader never pays). Only Runtime and HeapProfiler are used here. The figure is the renderer
 * processes' private footprint (processMemory()) after a 4-thread GIL-mode program, every isolate's
 * garbage collected (measureUserAgentSpecificMemory waits for that, the workers' too) and
 * `settleMs` of reading, less the same before Python loaded.
 */
async function memoryOfProgram(site, settleMs) {
  const profile = mkdtempSync(join(tmpdir(), 'gil-lab-memory-'));
  const browser = spawn(
    await findChromium(),
    [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: 'ignore' },
  );
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let socket = null;
  try {
    let port = null;
    for (let i = 0; i < 300 && port === null; i++) {
      await sleep(100);
      try {
        port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
      } catch {
        // not written yet
      }
    }
    if (port === null) throw new Error('Chromium did not open its DevTools port');
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const target = targets.find((t) => t.type === 'page');
    socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((r, j) => {
      socket.addEventListener('open', r);
      socket.addEventListener('error', j);
    });
    let id = 0;
    const waiting = new Map();
    socket.addEventListener('message', (e) => {
      const m = JSON.parse(e.data);
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    });
    const send = (method, params = {}) =>
      new Promise((r) => {
        waiting.set(++id, r);
        socket.send(JSON.stringify({ id, method, params }));
      });
    const evaluate = async (expression) =>
      (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }))
        .result?.result?.value;
    const until = async (expression, what) => {
      for (let i = 0; i < 1800; i++) {
        if (await evaluate(expression)) return;
        await sleep(100);
      }
      throw new Error(`memory: ${what} did not happen within 180 s`);
    };
    const collected = async () => {
      await send('HeapProfiler.collectGarbage');
      await sleep(500);
      return processMemory(browser.pid);
    };
    await send('Page.navigate', { url: `${site.url}${PAGES[0]}` });
    await until(`document.documentElement.dataset.isolation === 'isolated'`, 'isolation');
    await sleep(1000);
    const before = await collected();
    // The block's own source holder (what its Run reads while no editor is open).
    await evaluate(
      `(() => { const el = document.querySelector('gil-python'); el.querySelector('[data-source]').value = ${JSON.stringify(FOUR)}; el.querySelector('[data-run]').click(); })()`,
    );
    await until(
      `(() => { const el = document.querySelector('gil-python'); return !['idle', 'loading', 'running'].includes(el.dataset.state ?? '') && el.querySelector('[data-output] pre').textContent.includes('thread 3'); })()`,
      'the 4-thread program',
    );
    const result = JSON.parse(
      (await evaluate(`document.querySelector('gil-python').dataset.result`)) ?? '{}',
    );
    const userAgent = await evaluate(
      `Promise.race([performance.measureUserAgentSpecificMemory().then((m) => m.bytes), new Promise((r) => setTimeout(() => r(null), 30000))])`,
    );
    await sleep(settleMs);
    const after = await collected();
    const delta = (key) => (after[key] - before[key]) / 2 ** 20;
    return {
      rendererMb: after.footprint / 2 ** 20,
      deltaMb: delta('footprint'),
      rssDeltaMb: delta('rss'),
      fileDeltaMb: delta('file'),
      shmemDeltaMb: delta('shmem'),
      userAgentMb: (userAgent ?? NaN) / 2 ** 20,
      load: load(),
      engine: result.engine,
    };
  } finally {
    socket?.close();
    browser.kill();
    await new Promise((r) => (browser.exitCode !== null ? r() : browser.once('exit', r)));
    rmSync(profile, { recursive: true, force: true });
  }
}

/** One round from an empty profile. */
async function round(chromium, site, settleMs, log) {
  const profile = mkdtempSync(join(tmpdir(), 'gil-lab-startup-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(180_000);
    const root = browserPidFor(profile);
    await open(page, `${site.url}${PAGES[0]}`);
    await page.waitForTimeout(1000);
    let n = 0;
    const hello = () => timedRun(page, `print("hello-${++n}")`, `hello-${n}`, root);
    const cold = await hello();
    log(
      `startup: cold ${cold.ms.toFixed(0)} ms, CPU ${cold.cpuMs.toFixed(0)} ms (load ${cold.load.toFixed(2)}; interpreter from ${cold.startedFrom})`,
    );
    const warm = [await hello(), await hello(), await hello()];
    // Before the next page, as a reader reads on (V8 writes its code cache meanwhile).
    await page.waitForTimeout(settleMs);
    await open(page, `${site.url}${PAGES[1]}`);
    const next = await hello();
    log(
      `startup: next page ${next.ms.toFixed(0)} ms, CPU ${next.cpuMs.toFixed(0)} ms (load ${next.load.toFixed(2)}; interpreter from ${next.startedFrom})`,
    );
    await page.waitForTimeout(settleMs);
    await open(page, `${site.url}${PAGES[2]}`);
    const third = await hello();
    return { cold, warm, next, third };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Measures `rounds` rounds; resolves with them. */
export async function measurePythonStartup({
  rounds = 1,
  settleMs = 5000,
  dist = fileURLToPath(new URL('../dist', import.meta.url)),
  log = () => undefined,
} = {}) {
  const root = resolve(dist);
  if (!existsSync(root)) throw new Error(`no ${root}: run npm run build first`);
  const { chromium } = await import('playwright-core');
  const site = await serveStatic({ root, isolated: true });
  const out = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const times = await round(chromium, site, settleMs, log);
      const memory = await memoryOfProgram(site, settleMs);
      log(`startup: memory Δ ${memory.deltaMb.toFixed(0)} MB (load ${memory.load.toFixed(2)})`);
      out.push({ ...times, memory });
      log(`startup: round ${r + 1}/${rounds} done`);
    }
  } finally {
    await site.close();
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The rounds as table lines, each figure with the load average it was measured under. */
export function pythonStartupTable(rounds, settleMs) {
  const at = (x) => `${x.ms.toFixed(0)} / ${x.cpuMs.toFixed(0)} (${x.load.toFixed(1)})`;
  const mb = (x) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(0));
  return [
    `Run Python start-up, built site in Chromium, persistent profile: click → first output, wall ms / renderer CPU ms (1-min load); next pages after ${settleMs} ms`,
    `targets: cold ≤ 2500, next page ≤ 1000, warm ≤ 20, memory of a 4-thread GIL program ≤ 80 MB (Δ of the renderers' private footprint)`,
    `${'round'.padEnd(7)}${'cold'.padEnd(22)}${'next page'.padEnd(22)}${'third page'.padEnd(22)}${'warm (median)'.padEnd(16)}memory Δ / renderer footprint / UA MB; Δ RSS (of it file, shmem) (load)`,
    ...rounds.map(
      (r, i) =>
        `${String(i + 1).padEnd(7)}${at(r.cold).padEnd(22)}${at(r.next).padEnd(22)}${at(r.third).padEnd(22)}` +
        `${`${median(r.warm.map((w) => w.ms)).toFixed(0)} (${r.warm[0].load.toFixed(1)})`.padEnd(16)}` +
        `${mb(r.memory.deltaMb)} / ${mb(r.memory.rendererMb)} / ${mb(r.memory.userAgentMb)}; ` +
        `${mb(r.memory.rssDeltaMb)} (${mb(r.memory.fileDeltaMb)}, ${mb(r.memory.shmemDeltaMb)}) (${r.memory.load.toFixed(1)}; ${r.memory.engine})`,
    ),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      'settle-ms': { type: 'string' },
      dist: { type: 'string' },
    },
  });
  const settleMs = Number(values['settle-ms'] ?? 5000);
  const rounds = await measurePythonStartup({
    rounds: Number(values.rounds ?? 1),
    settleMs,
    ...(values.dist ? { dist: values.dist } : {}),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  console.log(pythonStartupTable(rounds, settleMs).join('\n'));
  console.log(JSON.stringify(rounds));
}
