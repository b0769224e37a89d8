/**
 * npm run bench, Python part: real CPython (Pyodide) in Node worker_threads. Time to first output
 * (cold, 1 and 4 interpreters; with and without one shared compiled WebAssembly.Module), memory
 * per interpreter, the eval-breaker hook's overhead, and 2 threads of countdown under the GIL,
 * free-threaded and one interpreter twice, beside CPython's reference ratios.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InterpreterPool,
  NODE_PYTHON_WORKER_ENTRY,
  loadAssets,
  nodePythonRunner,
  nodeWorkerFactory,
  PYODIDE_DIR,
  readShimSource,
} from '../src/runtime/node/index.ts';
import type { PythonRunResult, PythonRunner } from '../src/runtime/python/index.ts';

/** What the Python bench measured (all times ms, medians). */
export interface PythonBenchResult {
  env: 'node';
  countdownN: number;
  firstOutput: {
    oneCold: number;
    oneColdUnshared: number;
    fourCold: number;
    fourColdUnshared: number;
    oneWarm: number;
  };
  /** The same cold starts in headless Chromium Web Workers (null if Chromium failed). */
  chromium: {
    oneCold: number;
    oneColdUnshared: number;
    fourCold: number;
    fourColdUnshared: number;
  } | null;
  loadAverage1m: number;
  /** Extra RSS per booted interpreter, MB. */
  memoryPerInterpreterMb: number;
  /** countdown with the interrupt buffer + signal handler / without. */
  hookOverhead: number;
  countdown: {
    sequentialMs: number;
    gilMs: number;
    freeMs: number;
    gilRatio: number;
    freeRatio: number;
    switches: number;
  };
  cpython: {
    threads2Ratio: number | null;
    processes2Ratio: number | null;
    /** native_release.py's speed-ups (4 threads over sequence) in CPython. */
    native: { sha256: number; zlib: number } | null;
    source: string;
  } | null;
  /** GIL mode's one-interpreter engine (green threads, JSPI), Node. */
  green: GreenFigures | null;
}

/** The one-interpreter engine's figures (issue 11's start-up and switch targets). */
export interface GreenFigures {
  /** Cold runner: ms until all 4 threads of FOUR printed (one interpreter booted). */
  fourCold: number;
  /** Warm interpreter: ms until the first output of print("hello"). */
  warm: number;
  /** Node RSS growth for a runner that booted and ran FOUR, MB. */
  memoryMb: number;
  /** Hand-over gaps (one thread stops running until the next runs), µs: p50 and p90. */
  voluntary: { p50: number; p90: number; n: number };
  forced: { p50: number; p90: number; n: number };
  /**
   * Native calls without the GIL (hashlib, zlib in native workers): 4 threads' speed-up over the
   * same 4 tasks in sequence, the shape of examples/python/escaping-the-gil/native_release.py
   * (smaller: 32 MiB hashed, 4 MiB compressed per task); null if the run failed.
   */
  native: { sha256: number; zlib: number } | null;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ms from run() until the first output, and until `outputs` outputs arrived. */
async function timeToOutput(runner: PythonRunner, source: string, outputs = 1): Promise<number> {
  const t0 = performance.now();
  let seen = 0;
  let at = 0;
  await runner.run(source, {
    onOutput: () => {
      if (++seen === outputs) at = performance.now() - t0;
    },
  }).result;
  return at;
}

const FOUR = `
import threading
def hello():
    print("hello")
threads = [threading.Thread(target=hello) for _ in range(3)]
for t in threads: t.start()
print("hello")
for t in threads: t.join()
`;

async function cold(source: string, outputs: number, share: boolean): Promise<number> {
  // Without the snapshot: these rows compare sharing the compiled module, nothing else.
  const { runner } = nodePythonRunner({ shareCompiledWasm: share, snapshot: null });
  try {
    return await timeToOutput(runner, source, outputs);
  } finally {
    await runner.dispose();
  }
}

async function hookOverhead(n: number, reps: number): Promise<number> {
  const { factory } = nodeWorkerFactory(NODE_PYTHON_WORKER_ENTRY);
  const shimSource = readShimSource();
  const assets = loadAssets({
    indexURL: PYODIDE_DIR,
    share: true,
    readFile: async (p) => new Uint8Array(await readFile(p)),
    shimSource,
    prefetchStdlib: false,
    onProgress: () => undefined,
  });
  const pool = new InterpreterPool(factory, () => assets, 1);
  try {
    const { worker } = await pool.lease();
    await worker.api.countdownMs(n, false);
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < reps; i++) {
      off.push(await worker.api.countdownMs(n, false));
      on.push(await worker.api.countdownMs(n, true));
    }
    return median(on) / median(off);
  } finally {
    await pool.dispose();
  }
}

function countdownProgram(n: number, threads: boolean): string {
  const body = threads
    ? `ts = [threading.Thread(target=countdown, args=(N,)) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()`
    : 'countdown(N)\ncountdown(N)';
  return `import threading\nN = ${n}\ndef countdown(n):\n    while n > 0:\n        n -= 1\n${body}\n`;
}

async function cpythonRatios(): Promise<PythonBenchResult['cpython']> {
  try {
    const ref = JSON.parse(
      await readFile(new URL('../src/data/cpython-reference.json', import.meta.url), 'utf8'),
    );
    const c = ref?.experiments?.countdown;
    return {
      threads2Ratio: c?.threads2?.ratioVsSequential ?? null,
      processes2Ratio: c?.processes2?.fork?.ratioVsSequential ?? null,
      native:
        typeof ref?.experiments?.native?.sha256?.speedup === 'number'
          ? {
              sha256: ref.experiments.native.sha256.speedup,
              zlib: ref.experiments.native.zlib?.speedup ?? NaN,
            }
          : null,
      source: `CPython ${ref?.python?.version ?? '?'} (${ref?.measuredAt ?? 'undated'})`,
    };
  } catch {
    return null;
  }
}

/** A page that times cold starts of a fresh runner (built with Vite like the site). */
function chromiumPage(): string {
  const entry = fileURLToPath(new URL('../src/runtime/python/index.ts', import.meta.url));
  return `<!doctype html><meta charset="utf-8"><script type="module">
import { createPythonRunner } from '${entry}';
globalThis.coldStart = async (source, outputs, share) => {
  const runner = createPythonRunner({ shareCompiledWasm: share });
  const t0 = performance.now();
  let seen = 0, at = 0;
  await runner.run(source, { onOutput: () => { if (++seen === outputs) at = performance.now() - t0; } }).result;
  await runner.dispose();
  return at;
};
</script>`;
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  // Pyodide's own loader (the unshared comparison) streams the wasm, which needs this type.
  '.wasm': 'application/wasm',
};

/** Serves `dir` cross-origin isolated, with the MIME types Pyodide needs. */
async function serveIsolated(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const { extname, normalize } = await import('node:path');
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
          'cross-origin-resource-policy': 'same-origin',
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Cold time to first output in headless Chromium (HTTP cache on: as a second visit would be). */
async function chromiumColdStarts(): Promise<PythonBenchResult['chromium']> {
  const { build } = await import('vite');
  const { CHROMIUM_ARGS } = await import('../tests/browser/server.mjs');
  const { findChromium } = await import('../scripts/find-browser.mjs');
  const { copyPyodideAssets } = await import('../integrations/pyodide-assets.mjs');
  const { chromium } = await import('playwright-core');
  const root = await mkdtemp(join(tmpdir(), 'gil-lab-python-'));
  const outDir = join(root, 'dist');
  await writeFile(join(root, 'index.html'), chromiumPage());
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, target: 'esnext' },
    worker: { format: 'es' },
  });
  copyPyodideAssets(join(outDir, 'pyodide'));
  const site = await serveIsolated(outDir);
  const browser = await chromium.launch({
    executablePath: await findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(120_000);
    await page.goto(site.url);
    await page.waitForFunction(() => 'coldStart' in globalThis);
    type Cold = (source: string, outputs: number, share: boolean) => Promise<number>;
    const time = (source: string, outputs: number, share: boolean): Promise<number> =>
      page.evaluate(
        ([s, o, sh]) => (globalThis as unknown as { coldStart: Cold }).coldStart(s, o, sh),
        [source, outputs, share] as const,
      );
    await time('print(1)', 1, true); // fills the HTTP cache, as a first visit would
    return {
      oneCold: await time('print("hello")', 1, true),
      oneColdUnshared: await time('print("hello")', 1, false),
      fourCold: await time(FOUR, 4, true),
      fourColdUnshared: await time(FOUR, 4, false),
    };
  } finally {
    await browser.close();
    await site.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Thread switches of the ping-pong (time.sleep(0): voluntary) and countdown (drop requests). */
const PING_PONG = `
import threading, time
def ping():
    for _ in range(1500):
        time.sleep(0)
ts = [threading.Thread(target=ping) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`;

/**
 * Gaps between one thread leaving 'running' and the next entering it, µs, from a run's timeline
 * (events of all lanes in their global order).
 */
export function handOverGapsUs(snapshot: PythonRunResult['timeline']): number[] {
  const events = snapshot.lanes
    .flatMap((l) => l.events.map((e) => ({ ...e, lane: l.lane })))
    .sort((a, b) => a.seq - b.seq);
  const gaps: number[] = [];
  let running: number | null = null;
  let leftAt: number | null = null;
  let leftLane: number | null = null;
  for (const e of events) {
    if (e.state === 'running') {
      if (running === null && leftAt !== null && leftLane !== e.lane)
        gaps.push((e.t - leftAt) * 1000);
      running = e.lane;
    } else if (running === e.lane) {
      running = null;
      leftAt = e.t;
      leftLane = e.lane;
    }
  }
  return gaps;
}

/** native_release.py's two measurements, smaller: speed-up of 4 threads over sequence. */
const NATIVE = `
import hashlib, random, time, zlib
from concurrent.futures import ThreadPoolExecutor
hash_buffers = [random.Random(i).randbytes(1 << 20) for i in range(4)]
zlib_buffers = [random.Random(10 + i).randbytes(4 << 20) for i in range(4)]
def sha256(data):
    h = hashlib.sha256()
    for _ in range(32):
        h.update(data)
    return h.hexdigest()
def compress(data):
    return len(zlib.compress(data, 6))
for work, buffers in ((sha256, hash_buffers), (compress, zlib_buffers)):
    t0 = time.perf_counter()
    expected = [work(b) for b in buffers]
    sequential = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(work, buffers)) == expected
    print(work.__name__, sequential / (time.perf_counter() - t0))
`;

function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export async function greenFigures(n: number): Promise<GreenFigures> {
  const rss0 = process.memoryUsage().rss;
  const { runner } = nodePythonRunner({ gilEngine: 'auto' });
  try {
    const fourCold = await timeToOutput(runner, FOUR, 4);
    const memoryMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
    const warm = median([
      await timeToOutput(runner, 'print("hello")'),
      await timeToOutput(runner, 'print("hello")'),
      await timeToOutput(runner, 'print("hello")'),
    ]);
    const gapsOf = (gaps: number[]) => ({
      p50: percentile(gaps, 0.5),
      p90: percentile(gaps, 0.9),
      n: gaps.length,
    });
    const voluntary = gapsOf(handOverGapsUs((await runner.run(PING_PONG).result).timeline));
    const forced = gapsOf(
      handOverGapsUs(
        (await runner.run(countdownProgram(n, true), { switchIntervalMs: 1 }).result).timeline,
      ),
    );
    let printed = '';
    const nativeRun = await runner.run(NATIVE, { onOutput: (o) => (printed += o.text) }).result;
    const speedup = (name: string): number =>
      Number(new RegExp(`^${name} ([\\d.]+)$`, 'm').exec(printed)?.[1] ?? NaN);
    const native = nativeRun.ok ? { sha256: speedup('sha256'), zlib: speedup('compress') } : null;
    return { fourCold, warm, memoryMb, voluntary, forced, native };
  } finally {
    await runner.dispose();
  }
}

/** Runs the Python bench in Node; `quick` halves the work. */
export async function runPythonBench(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<PythonBenchResult> {
  const { log } = options;
  const reps = options.quick ? 2 : 3;
  const n = options.quick ? 2_000_000 : 5_000_000;
  log('python: cold start, 1 interpreter (shared compiled module, then compiling in the worker)');
  const oneCold = await cold('print("hello")', 1, true);
  const oneColdUnshared = await cold('print("hello")', 1, false);
  log('python: cold start, 4 interpreters');
  const fourCold = await cold(FOUR, 4, true);
  const fourColdUnshared = await cold(FOUR, 4, false);
  log('python: cold starts in Chromium');
  const chromium = await chromiumColdStarts().catch((e: unknown) => {
    log(`python: Chromium part failed: ${e instanceof Error ? e.message : e}`);
    return null;
  });

  log('python: the one-interpreter engine (green threads)');
  const green = await greenFigures(n).catch((e: unknown) => {
    log(`python: green part failed: ${e instanceof Error ? e.message : e}`);
    return null;
  });

  const { runner } = nodePythonRunner();
  try {
    const rss0 = process.memoryUsage().rss;
    await runner.prewarm(3);
    const memoryPerInterpreterMb = (process.memoryUsage().rss - rss0) / 3 / 2 ** 20;
    const oneWarm = median(
      await Promise.all([0].map(() => timeToOutput(runner, 'print("hello")'))),
    );
    log('python: hook overhead');
    const hook = await hookOverhead(n, reps);
    log('python: 2 threads of countdown');
    const walls = { sequential: [] as number[], gil: [] as number[], free: [] as number[] };
    let switches = 0;
    for (let i = 0; i < reps; i++) {
      walls.sequential.push((await runner.run(countdownProgram(n, false)).result).wallMs);
      const gil = await runner.run(countdownProgram(n, true), { mode: 'gil' }).result;
      walls.gil.push(gil.wallMs);
      switches = Math.max(switches, gil.switches);
      walls.free.push(
        (await runner.run(countdownProgram(n, true), { mode: 'free-threaded' }).result).wallMs,
      );
    }
    const sequentialMs = median(walls.sequential);
    const gilMs = median(walls.gil);
    const freeMs = median(walls.free);
    return {
      env: 'node',
      countdownN: n,
      firstOutput: { oneCold, oneColdUnshared, fourCold, fourColdUnshared, oneWarm },
      chromium,
      loadAverage1m: loadavg()[0]!,
      memoryPerInterpreterMb,
      hookOverhead: hook,
      countdown: {
        sequentialMs,
        gilMs,
        freeMs,
        gilRatio: gilMs / sequentialMs,
        freeRatio: freeMs / sequentialMs,
        switches,
      },
      cpython: await cpythonRatios(),
      green,
    };
  } finally {
    await runner.dispose();
  }
}

/** The bench table's Python section. */
export function pythonTable(r: PythonBenchResult): string[] {
  const f = (x: number | null | undefined, d = 0): string =>
    x === null || x === undefined ? '—' : x.toFixed(d);
  const ref = r.cpython;
  return [
    `Python (Pyodide, CPython 3.14) in Node worker_threads, countdown(${r.countdownN.toLocaleString('en')}); 1-min load ${f(r.loadAverage1m, 2)}`,
    `  time to first output, cold, 1 interpreter   ${f(r.firstOutput.oneCold).padStart(7)} ms  (compiling the wasm in the worker instead: ${f(r.firstOutput.oneColdUnshared)} ms)`,
    `  time to first output, cold, 4 interpreters  ${f(r.firstOutput.fourCold).padStart(7)} ms  (until all 4 printed; compiling in each worker: ${f(r.firstOutput.fourColdUnshared)} ms)`,
    ...(r.chromium
      ? [
          `  Chromium, cold, 1 interpreter               ${f(r.chromium.oneCold).padStart(7)} ms  (compiling in the worker: ${f(r.chromium.oneColdUnshared)} ms)`,
          `  Chromium, cold, 4 interpreters              ${f(r.chromium.fourCold).padStart(7)} ms  (compiling in each worker: ${f(r.chromium.fourColdUnshared)} ms)`,
        ]
      : []),
    sharedModuleVerdict(r),
    `  time to first output, warm interpreter      ${f(r.firstOutput.oneWarm).padStart(7)} ms`,
    `  memory per interpreter                      ${f(r.memoryPerInterpreterMb).padStart(7)} MB`,
    `  eval-breaker hook overhead                  ${f(r.hookOverhead, 2).padStart(7)} ×   (interrupt buffer + SIGUSR1 handler vs none)`,
    `  countdown, one interpreter twice            ${f(r.countdown.sequentialMs).padStart(7)} ms  1.00 ×`,
    `  countdown, 2 threads, GIL                   ${f(r.countdown.gilMs).padStart(7)} ms  ${f(r.countdown.gilRatio, 2)} ×  (${r.countdown.switches} switches)   CPython ${f(ref?.threads2Ratio, 2)} ×`,
    `  countdown, 2 threads, free-threaded         ${f(r.countdown.freeMs).padStart(7)} ms  ${f(r.countdown.freeRatio, 2)} ×   CPython 2 processes ${f(ref?.processes2Ratio, 2)} ×`,
    ...(ref ? [`  CPython column: ${ref.source}, wall time / sequential.`] : []),
    ...(r.green
      ? [
          '  GIL mode, one interpreter for every thread (green threads; targets from issue 11, figures before it in brackets):',
          `    cold, 4 threads, all printed             ${f(r.green.fourCold).padStart(7)} ms  (target 2500 in Chromium; before: 5 interpreters booted, 31.8 s on a busy machine)`,
          `    warm, first output                       ${f(r.green.warm, 1).padStart(7)} ms  (target 20)`,
          `    memory, booted and ran 4 threads         ${f(r.green.memoryMb).padStart(7)} MB  (target 80; Node RSS growth)`,
          `    thread switch, time.sleep(0), p50 / p90  ${f(r.green.voluntary.p50).padStart(7)} µs / ${f(r.green.voluntary.p90)} µs (${r.green.voluntary.n} switches; target p50 50)`,
          `    thread switch, drop request, p50 / p90   ${f(r.green.forced.p50).padStart(7)} µs / ${f(r.green.forced.p90)} µs (${r.green.forced.n} switches, 1 ms interval)`,
          `    native calls, 4 threads / sequence       sha256 ${f(r.green.native?.sha256, 2)} ×, zlib ${f(r.green.native?.zlib, 2)} ×   CPython ${f(r.cpython?.native?.sha256, 2)} × / ${f(r.cpython?.native?.zlib, 2)} × (native_release.py; up to the cores free)`,
        ]
      : []),
  ];
}

/**
 * What sharing one compiled WebAssembly.Module across interpreters did in this run: the issue asks
 * to try it and report what it saves. Negative savings are said as a cost.
 */
function sharedModuleVerdict(r: PythonBenchResult): string {
  const say = (label: string, shared: number, unshared: number): string => {
    const saved = unshared - shared;
    return `${label} ${Math.abs(saved).toFixed(0)} ms ${saved >= 0 ? 'saved' : 'lost'}`;
  };
  const parts = [
    say('Node, 1:', r.firstOutput.oneCold, r.firstOutput.oneColdUnshared),
    say('4:', r.firstOutput.fourCold, r.firstOutput.fourColdUnshared),
  ];
  if (r.chromium) {
    parts.push(
      say('Chromium, 1:', r.chromium.oneCold, r.chromium.oneColdUnshared),
      say('4:', r.chromium.fourCold, r.chromium.fourColdUnshared),
    );
  }
  return `  sharing one compiled module vs compiling per worker: ${parts.join(', ')}`;
}
