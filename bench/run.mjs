// npm run bench: the runtime's benchmark in Node (worker_threads) and headless Chromium (Web Workers),
// printed as one table and written to bench/results/latest.json. Node 24 loads the .ts sources natively.
// Options: --quick (short tasks, 2 rounds), --reps N, --target-ms N, --no-browser, --no-python,
// --shapes-only (only the CPython-shaped runs: the fidelity check), --loaded N (then the shapes
// again beside N busy-looping processes, to print each figure's spread quiet vs loaded),
// --convoy-live (the convoy preset in Chromium alternated with CPython's convoy, measured now:
// how both degrade under the same load; with --loaded, also beside the busy loops),
// --first-run (click → lanes moving in the built site, bench/first-run.mjs; needs npm run build),
// --python-startup (Run Python's cold, next-page and warm first output and memory in the built
// site, bench/python-startup.mjs; needs npm run build),
// --only KEY[,KEY…] (only those CPython-shaped rows, e.g. --only tiny-tasks; implies --shapes-only),
// --processes-live (the processes preset in Chromium alternated with CPython's fork pool, measured
// now: both speed-ups under the same load, bench/processes-live.ts), --tiny-live (the same for the
// tiny-tasks preset: 1,000 tasks of 0.08 ms on a 2-process fork pool vs a plain loop).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRuntime, speedLimits, speedVerdict, summarizePairs } from '../src/runtime/index.ts';
import { nodeWorkerFactory } from '../src/runtime/node/index.ts';
import { runSuite } from './suite.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    'target-ms': { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'shapes-only': { type: 'boolean', default: false },
    loaded: { type: 'string' },
    'convoy-live': { type: 'boolean', default: false },
    'first-run': { type: 'boolean', default: false },
    'python-startup': { type: 'boolean', default: false },
    only: { type: 'string' },
    'processes-live': { type: 'boolean', default: false },
    'tiny-live': { type: 'boolean', default: false },
  },
});
const cores = availableParallelism();
const options = {
  targetMs: Number(args['target-ms'] ?? (args.quick ? 150 : 400)),
  reps: Number(args.reps ?? (args.quick ? 2 : 5)),
  maxWorkers: cores,
  // Only some CPython-shaped rows asked for: nothing else is measured either.
  shapesOnly: args['shapes-only'] || args.only !== undefined,
  ...(args.only ? { only: args.only.split(',').map((k) => k.trim()) } : {}),
};
const hogs = Number(args.loaded ?? 0);
const log = (line) => process.stderr.write(`${line}\n`);

/** CPython's speedups from src/data/cpython-reference.json, if present and shaped as expected. */
async function cpythonSpeedups() {
  try {
    const ref = JSON.parse(
      await readFile(new URL('../src/data/cpython-reference.json', import.meta.url), 'utf8'),
    );
    const c = ref?.experiments?.countdown;
    const inv = (x) => (typeof x === 'number' && x > 0 ? 1 / x : null);
    if (typeof c !== 'object' || c === null) return null;
    return {
      source: `CPython ${ref?.python?.version ?? '?'} (${ref?.measuredAt ?? 'undated'})`,
      byKey: {
        '1/sequential': 1,
        '1/gil': 1,
        '2/sequential': 1,
        '2/gil': inv(c.threads2?.ratioVsSequential),
        '2/processes': inv(c.processes2?.fork?.ratioVsSequential),
        '4/sequential': 1,
        '4/gil': inv(c.threads4?.ratioVsSequential),
      },
    };
  } catch {
    return null;
  }
}

const loadStart = loadavg()[0];
const { factory } = nodeWorkerFactory();
// Node's V8 tiers up within tens of ms (Chromium's harness keeps the 600 ms default).
const rt = createRuntime({ workerFactory: factory, cores, warmupMs: 150 });
let node;
try {
  node = await runSuite(rt, 'node', cores, { ...options, log });
} finally {
  await rt.dispose();
}

let chromium = null;
if (!args['no-browser']) {
  try {
    const { withHarnessPage } = await import('../tests/browser/server.mjs');
    chromium = await withHarnessPage(
      (page) => page.evaluate((o) => globalThis.gilHarness.bench(o), options),
      { timeoutMs: 900_000 },
    );
  } catch (e) {
    log(`Chromium half failed: ${e instanceof Error ? e.message : e}`);
  }
}
/** The convoy at 5 and 1 ms, widget (Chromium) and CPython alternated, 3 rounds. */
async function runConvoyLive() {
  const { convoyLive } = await import('./convoy-live.ts');
  return convoyLive([5, 1], 3, log);
}
const convoyQuiet = args['convoy-live'] && !args['no-browser'] ? await runConvoyLive() : null;
/** The processes preset and CPython's fork pool, alternated, 5 rounds. */
const processesLiveRow =
  args['processes-live'] && !args['no-browser']
    ? await (await import('./processes-live.ts')).processesLive(5, log)
    : null;
/** The tiny-tasks preset and CPython's tiny tasks, alternated, 5 rounds. */
const tinyLiveRow =
  args['tiny-live'] && !args['no-browser']
    ? await (await import('./processes-live.ts')).processesLive(5, log, 'tiny-tasks')
    : null;

/** A figure of the built site in Chromium, or null (said in the log) where it could not be measured. */
async function builtSiteFigure(name, wanted, measure) {
  if (!wanted || args['no-browser']) return null;
  try {
    return await measure();
  } catch (e) {
    log(`${name} failed: ${e instanceof Error ? e.message : e}`);
    return null;
  }
}

/** First Run in the built site (bench/first-run.mjs), 3 rounds, after 5 s at idle. */
const firstRun = await builtSiteFigure('First Run', args['first-run'], async () =>
  (await import('./first-run.mjs')).measureFirstRun({ settleMs: 5000, rounds: 3, log }),
);
/** Run Python's start-up in the built site (bench/python-startup.mjs), 2 rounds. */
const pythonStartup = await builtSiteFigure(
  'Run Python start-up',
  args['python-startup'],
  async () =>
    (await import('./python-startup.mjs')).measurePythonStartup({ rounds: 2, settleMs: 5000, log }),
);

/** The shapes again beside `hogs` busy-looping processes: each figure's spread under load. */
async function loadedPass() {
  const children = Array.from({ length: hogs }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    await new Promise((r) => setTimeout(r, 3000)); // let the load average see them
    const start = loadavg()[0];
    const shapesOptions = { ...options, shapesOnly: true };
    let result;
    if (chromium) {
      const { withHarnessPage } = await import('../tests/browser/server.mjs');
      result = await withHarnessPage(
        (page) => page.evaluate((o) => globalThis.gilHarness.bench(o), shapesOptions),
        { timeoutMs: 900_000 },
      );
    } else {
      const loadedRt = createRuntime({ workerFactory: factory, cores, warmupMs: 150 });
      try {
        result = await runSuite(loadedRt, 'node', cores, { ...shapesOptions, log });
      } finally {
        await loadedRt.dispose();
      }
    }
    const convoy = args['convoy-live'] && !args['no-browser'] ? await runConvoyLive() : null;
    return { hogs, loadStart: start, loadEnd: loadavg()[0], result, convoy };
  } finally {
    for (const child of children) child.kill();
  }
}
const loaded = hogs > 0 ? await loadedPass() : null;

// Real CPython (Pyodide) in workers sharing one GIL: bench/python.ts (--no-python skips it).
let python = null;
if (!args['no-python'] && !options.shapesOnly) {
  try {
    const { runPythonBench } = await import('./python.ts');
    python = await runPythonBench({ quick: args.quick, log });
  } catch (e) {
    log(`Python half failed: ${e instanceof Error ? e.message : e}`);
  }
}
const cpython = await cpythonSpeedups();
const cpythonRef = await readFile(
  new URL('../src/data/cpython-reference.json', import.meta.url),
  'utf8',
)
  .then(JSON.parse)
  .catch(() => null);
const loadEnd = loadavg()[0];

// ---- the table ----
const f = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const pad = (s, n) => String(s).padStart(n);
const lines = [];
lines.push(
  `GIL Lab runtime bench — ${cores} cores, countdown ≈ ${options.targetMs} ms per task, median of ${options.reps} rounds`,
);
lines.push(
  `1-min load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end (other work on a ${cores}-core machine skews parallel rows)`,
);
const full = !options.shapesOnly;
if (full) {
  lines.push('');
  lines.push(`${'metric'.padEnd(34)}${pad('Node', 14)}${pad('Chromium', 14)}`);
  const both = (name, pick, d) =>
    lines.push(
      `${name.padEnd(34)}${pad(f(pick(node), d), 14)}${pad(chromium ? f(pick(chromium), d) : '—', 14)}`,
    );
  both('uncontended acquire+release (ns)', (r) => r.lockNs, 1);
  both('hand-off latency p50 (µs)', (r) => r.handoff.p50Us, 1);
  both('hand-off latency p99 (µs)', (r) => r.handoff.p99Us, 1);
  both('timeline event, one thread alone (ns)', (r) => r.recordNs, 1);
  lines.push('');
  const head = `${'workers'.padEnd(8)}${'mode'.padEnd(15)}${pad('wall ms', 9)}${pad('speedup', 9)}${pad('effic.', 8)}  |${pad('wall ms', 9)}${pad('speedup', 9)}${pad('effic.', 8)}  |${pad('Chr/Node', 9)}${pad('CPython', 9)}`;
  lines.push(
    `${''.padEnd(23)}${'Node (worker_threads)'.padStart(26)}   |${'Chromium (Web Workers)'.padStart(26)}   |`,
  );
  lines.push(head);
  lines.push('-'.repeat(head.length));
  for (const row of node.rows) {
    const c = chromium?.rows.find((r) => r.workers === row.workers && r.mode === row.mode);
    const py = cpython?.byKey[`${row.workers}/${row.mode}`];
    lines.push(
      `${String(row.workers).padEnd(8)}${row.mode.padEnd(15)}${pad(f(row.wallMs, 0), 9)}${pad(f(row.speedup), 9)}${pad(f(row.efficiency), 8)}  |` +
        `${pad(c ? f(c.wallMs, 0) : '—', 9)}${pad(c ? f(c.speedup) : '—', 9)}${pad(c ? f(c.efficiency) : '—', 8)}  |` +
        `${pad(c ? f(c.speedup / row.speedup) : '—', 9)}${pad(py === undefined || py === null ? '—' : f(py), 9)}`,
    );
  }
  const procRow = node.rows.find((r) => r.mode === 'processes' && r.workers === cores);
  lines.push('');
  lines.push(
    `process pools: no start method modelled here, so no start-up in these rows; creating the workers (Node median ${f(procRow?.startupMs, 1)} ms${chromium ? `, Chromium ${f(chromium.rows.find((r) => r.mode === 'processes' && r.workers === cores)?.startupMs, 1)} ms` : ''}) is a JS cost CPython does not have, never timed.`,
  );
  if (cpython)
    lines.push(
      `CPython column: ${cpython.source}, speedup = 1 / ratioVsSequential (processes: fork).`,
    );
}

/** The q-quantile of a list, linear between ranks. */
function quantile(xs, q) {
  const sorted = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
/** A shape's spread over its rounds: quartile range ÷ median, as "12 %". */
function spreadPct(row) {
  const mid = quantile(row.runs, 0.5);
  const spread = (quantile(row.runs, 0.75) - quantile(row.runs, 0.25)) / Math.abs(mid);
  return Number.isFinite(spread) ? `${(100 * spread).toFixed(0)} %` : '—';
}
/**
 * Whether a widget figure is within ±20 % of CPython's for the same shape; a figure CPython
 * measured as 0 (no lost updates) must stay under 1 (percentage point).
 */
function withinFidelity(value, cpython) {
  if (!Number.isFinite(value) || typeof cpython !== 'number') return false;
  if (cpython === 0) return Math.abs(value) < 1;
  return value / cpython >= 0.8 && value / cpython <= 1.2;
}

/**
 * What the widget would show for a speed-up row, by its own rules (speedLimits, speedVerdict)
 * over the row's rounds taken as its pairs (each round is one run beside its plain loop), and
 * whether that is right: a figure within ±20 % of CPython's, or said to be too close to call
 * (a busy machine). A clear figure outside ±20 % is WRONG: the reader would trust it.
 */
function widgetSays(row) {
  if (!row.speedConfig) return null;
  const ratios = row.runs.filter((x) => Number.isFinite(x) && x > 0);
  if (ratios.length === 0) return { words: 'no figure', grade: 'said' };
  const summary = summarizePairs(ratios.map((r) => ({ baselineMs: r, runMs: 1 })));
  const v = speedVerdict(summary, speedLimits(row.speedConfig, cores));
  if (v.shown === null) return { words: 'too close to call', grade: 'said' };
  const figure = `${f(v.shown)}${v.capped ? ' (capped)' : ''}`;
  // Busy (not graded), or graded but the figure said to be too close to call (noisy).
  if (v.busy || v.noisy)
    return { words: `${figure}${v.speed ? ` ${v.speed}` : ''}, too close to call`, grade: 'said' };
  const words = `${figure} ${v.speed ?? 'on a line'}`;
  if (row.cpython === null) return { words, grade: '—' };
  return { words, grade: withinFidelity(v.shown, row.cpython) ? 'right' : 'WRONG' };
}

// ---- the CPython reference's other experiments, same shapes (labels say where they differ) ----
lines.push('');
lines.push(
  `${'CPython-shaped runs (lesson presets, widget mapping)'.padEnd(108)}${pad('Node', 8)}${pad('Chromium', 10)}${pad('spread', 8)}${pad('CPython', 9)}`,
);
for (const row of node.shapes) {
  const c = chromium?.shapes.find((s) => s.key === row.key);
  lines.push(
    `${row.label.padEnd(108)}${pad(f(row.value), 8)}${pad(c ? f(c.value) : '—', 10)}${pad(spreadPct(c ?? row), 8)}${pad(f(row.cpython), 9)}`,
  );
}
lines.push(
  `spread: middle half of the rounds (quartile range) ÷ median, ${chromium ? 'Chromium' : 'Node'}; load ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)} (a loaded machine widens it).`,
);
{
  const said = (chromium ?? node).shapes
    .map((row) => [row, widgetSays(row)])
    .filter(([, w]) => w !== null);
  if (said.length) {
    lines.push(
      `what the widget would show (${chromium ? 'Chromium' : 'Node'}; its rules over the rounds as pairs): right = within ±20 % of CPython, said = "too close to call"`,
    );
    for (const [row, w] of said)
      lines.push(`  ${row.key.padEnd(14)}${w.words.padEnd(34)}${w.grade}`);
  }
}
lines.push(
  `CPython column: src/data/cpython-reference.json (native: zlib ${f(cpythonRef?.experiments?.native?.zlib?.speedup)} ×; convoy alone ${f(cpythonRef?.experiments?.convoy?.measurements?.[0]?.roundTripsPerSecond, 0)} round trips/s).`,
);

if (full) {
  // ---- recording cost: the worst cases, recording on vs off ----
  lines.push('');
  lines.push(
    'timeline recording cost — method: the same run with recording on vs off (bench-only switch), median wall of interleaved pairs',
  );
  lines.push(
    `${''.padEnd(72)}${pad('off ms', 8)}${pad('on ms', 8)}${pad('cost %', 8)}${pad('events', 9)}${pad('ns/ev', 7)}${pad('est. %', 8)}`,
  );
  for (const r of [node, chromium].filter(Boolean))
    for (const c of r.recording)
      lines.push(
        `${`${r.env}: ${c.label}`.padEnd(72)}${pad(f(c.offMs, 0), 8)}${pad(f(c.onMs, 0), 8)}${pad(f(c.pct, 1), 8)}${pad(c.events, 9)}${pad(f(c.nsPerEvent, 0), 7)}${pad(f(c.estimatePct, 1), 8)}`,
      );
  lines.push(
    'est. % = one thread alone ns/event × events / off wall (no contention); cost % below 0 means noise exceeded the cost. 0 ms calls are no work at all: they show the cost per event, the target counts the others.',
  );
}

// ---- targets ----
const at = (r, mode) => r?.rows.find((x) => x.workers === cores && x.mode === mode);
const nodeFree = at(node, 'free-threaded')?.speedup;
const chrFree = at(chromium, 'free-threaded')?.speedup;
const fullTargets = () => [
  [`free-threaded speedup ≥ 1.8× in Node (${cores} workers)`, f(nodeFree), nodeFree >= 1.8],
  [
    'Chromium free-threaded speedup ≥ 0.9 × Node',
    chrFree === undefined ? 'no Chromium' : f(chrFree / nodeFree),
    chrFree >= 0.9 * nodeFree,
  ],
  ...[node, chromium].filter(Boolean).map((r) => {
    const ratio = 1 / at(r, 'gil').speedup;
    return [`${r.env}: GIL wall 0.95–1.15 × sequential`, f(ratio), ratio >= 0.95 && ratio <= 1.15];
  }),
  ...[node, chromium]
    .filter(Boolean)
    .map((r) => [`${r.env}: hand-off p50 ≤ 50 µs`, f(r.handoff.p50Us, 1), r.handoff.p50Us <= 50]),
  ...[node, chromium].filter(Boolean).map((r) => {
    const worst = Math.max(...r.recording.filter((c) => c.targeted).map((c) => c.pct));
    return [
      `${r.env}: recording < 3 % of the work (worst real case, on vs off)`,
      `${f(worst, 1)} %`,
      worst < 3,
    ];
  }),
];
const targets = [
  ...(full ? fullTargets() : []),
  // Fidelity: each CPython-shaped figure of the browser (Node without it) within ±20 % of CPython.
  ...(chromium ?? node).shapes
    .filter((row) => row.cpython !== null)
    .map((row) => [
      `${(chromium ?? node).env}: ${row.key} within ±20 % of CPython (${f(row.cpython)})`,
      `${f(row.value)} (spread ${spreadPct(row)})`,
      withinFidelity(row.value, row.cpython),
    ]),
  // What a reader would be told: a right figure, or "too close to call" (issue 12).
  ...(chromium ?? node).shapes
    .map((row) => [row, widgetSays(row)])
    .filter(([row, w]) => w !== null && row.cpython !== null)
    .map(([row, w]) => [
      `${(chromium ?? node).env}: ${row.key} shown right or said too close to call`,
      `${w.words}: ${w.grade}`,
      w.grade !== 'WRONG',
    ]),
];
// ---- each figure's spread, quiet vs beside busy-looping processes (--loaded N) ----
if (loaded) {
  const quiet = chromium ?? node;
  lines.push('');
  lines.push(
    `spread quiet vs loaded (${loaded.result.env}; loaded: ${loaded.hogs} busy-looping processes beside the bench, load ${loaded.loadStart.toFixed(1)} → ${loaded.loadEnd.toFixed(1)}; quiet pass: load ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)})`,
  );
  lines.push(
    `${'figure'.padEnd(16)}${pad('quiet', 8)}${pad('spread', 8)}${pad('loaded', 8)}${pad('spread', 8)}${pad('CPython', 9)}  loaded within ±20 %  widget, quiet | loaded`,
  );
  for (const row of quiet.shapes) {
    const l = loaded.result.shapes.find((x) => x.key === row.key);
    const wq = widgetSays(row);
    const wl = l ? widgetSays(l) : null;
    const widget =
      wq || wl
        ? `  ${wq ? `${wq.words} ${wq.grade}` : '—'} | ${wl ? `${wl.words} ${wl.grade}` : '—'}`
        : '';
    lines.push(
      `${row.key.padEnd(16)}${pad(f(row.value), 8)}${pad(spreadPct(row), 8)}${pad(l ? f(l.value) : '—', 8)}${pad(l ? spreadPct(l) : '—', 8)}${pad(f(row.cpython), 9)}  ${(l && row.cpython !== null ? (withinFidelity(l.value, row.cpython) ? 'yes' : 'no') : '—').padEnd(19)}${widget}`,
    );
  }
}

if (convoyQuiet || loaded?.convoy) {
  const { convoyLiveTable } = await import('./convoy-live.ts');
  if (convoyQuiet)
    lines.push(
      '',
      ...convoyLiveTable(
        convoyQuiet,
        'convoy beside CPython under the same load (alternated rounds, 1 CPU thread; CPython live, not the reference)',
      ),
    );
  if (loaded?.convoy)
    lines.push(
      '',
      ...convoyLiveTable(loaded.convoy, `the same beside ${loaded.hogs} busy-looping processes`),
    );
}

if (processesLiveRow) {
  const { processesLiveTable } = await import('./processes-live.ts');
  lines.push(
    '',
    ...processesLiveTable(
      processesLiveRow,
      '2 processes (fork) beside CPython under the same load: speed-up vs a plain loop, alternated rounds (CPython live, not the reference)',
    ),
  );
}
if (tinyLiveRow) {
  const { processesLiveTable } = await import('./processes-live.ts');
  lines.push(
    '',
    ...processesLiveTable(
      tinyLiveRow,
      'tiny tasks (1,000 of 0.08 ms, 2 fork processes) beside CPython under the same load: speed-up vs a plain loop, alternated rounds (CPython live, not the reference)',
    ),
  );
}

if (firstRun) {
  const { firstRunTable } = await import('./first-run.mjs');
  lines.push('', ...firstRunTable(firstRun, 5000));
}
if (pythonStartup) {
  const { pythonStartupTable } = await import('./python-startup.mjs');
  lines.push('', ...pythonStartupTable(pythonStartup, 5000));
}

lines.push('');
lines.push('targets');
for (const [name, value, ok] of targets)
  lines.push(`  ${ok ? 'MET ' : 'MISS'} ${name.padEnd(58)} ${value}`);

// Page weight (the widget issue's budget): JS a page parses before any interaction, per page.
const { BUDGET_BYTES, pageWeights } = await import('../scripts/page-weight.mjs');
const weights = existsSync('dist') ? pageWeights('dist') : [];
lines.push('');
if (weights.length === 0) lines.push('page weight: no dist/ (run npm run build first)');
else {
  lines.push(
    `page weight: JS parsed before interaction, gzip (lesson budget ${BUDGET_BYTES / 1024} kB)`,
  );
  for (const w of weights)
    lines.push(`  ${(w.gzipBytes / 1024).toFixed(1).padStart(6)} kB  ${w.page}`);
}
if (python) {
  const { pythonTable } = await import('./python.ts');
  lines.push('', ...pythonTable(python));
}
const text = lines.join('\n');
console.log(text);

await mkdir(new URL('./results/', import.meta.url), { recursive: true });
const out = {
  date: new Date().toISOString(),
  cores,
  loadAverage1m: { start: loadStart, end: loadEnd },
  options,
  node,
  chromium,
  cpython,
  python,
  targets: targets.map(([name, value, ok]) => ({ name, value, met: ok })),
  loaded,
  convoyLive: convoyQuiet,
  processesLive: processesLiveRow,
  tinyLive: tinyLiveRow,
  firstRun,
  pythonStartup,
  pageWeights: weights.map(({ page, gzipBytes }) => ({ page, gzipBytes })),
  table: text,
};
await writeFile(
  new URL('./results/latest.json', import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
log('wrote bench/results/latest.json');
