/**
 * Endurance of Run Python: 100 runs (default; `node bench/python-soak.ts 40` for fewer) mixing
 * normal programs with hostile ones (os._exit, a fatal deep recursion, patched builtins and
 * modules, a bytearray past the memory limit, a thread, an exception). Checks after every run that
 * a normal program still prints what it should, and reports the process's memory (RSS, which
 * counts the workers' WebAssembly memory) after the first run and at the end: the target is
 * within 20 % (interpreters that grew or broke are discarded, the others reset).
 * Node worker_threads, offline. Not part of npm test (minutes of CPU); run and report.
 */
import { nodePythonRunner } from '../src/runtime/node/index.ts';

const RUNS = Number(process.argv[2] ?? 100);
const LIMIT = 256 * 2 ** 20;

const PROGRAMS: [string, string][] = [
  // A thread first: the warm pool has its two interpreters (main's and a thread's) from run 1 on.
  [
    'thread',
    'import threading\nt = threading.Thread(target=print, args=("t",))\nt.start(); t.join()',
  ],
  ['normal', 'print(sum(range(1000)))'],
  ['builtins', 'import builtins, time\nbuiltins.print = None\ntime.perf_counter = lambda: 0.0'],
  ['os._exit', 'import os\nos._exit(3)'],
  ['exception', 'raise ValueError("boom")'],
  ['big', 'b = bytearray(300 * 1024 * 1024)\nprint(len(b))'],
  ['recursion', 'import sys\nsys.setrecursionlimit(10**5)\ndef f(n): return f(n + 1) + 1\nf(0)'],
  [
    'modules',
    'import json, collections\njson.dumps = None\ncollections.OrderedDict.__repr__ = None',
  ],
];

// The pool of interpreters being soaked is the per-thread engine's (GIL mode would use one interpreter).
const { runner } = nodePythonRunner({
  maxInterpreters: 3,
  memoryLimitBytes: LIMIT,
  gilEngine: 'interpreter-per-thread',
});
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

async function check(): Promise<void> {
  let out = '';
  const r = await runner.run('import json, time\nprint(json.dumps([1]), time.perf_counter() > 0)', {
    onOutput: (o) => (out += o.text),
  }).result;
  if (r.error || out !== '[1] True\n')
    throw new Error(`the next run is broken: ${out} ${r.error?.message}`);
}

let first = 0;
const t0 = performance.now();
for (let i = 0; i < RUNS; i++) {
  const [name, source] = PROGRAMS[i % PROGRAMS.length]!;
  const handle = runner.run(source);
  const guard = setTimeout(() => void handle.stop(), 120_000);
  const result = await handle.result;
  clearTimeout(guard);
  await check();
  globalThis.gc?.();
  const rss = process.memoryUsage().rss;
  if (i === 0) first = rss;
  console.log(
    `${String(i + 1).padStart(3)} ${name.padEnd(10)} ${(result.error?.type ?? 'ok').padEnd(18)} workers ${runner.liveWorkers}  rss ${mb(rss)}`,
  );
}
const last = process.memoryUsage().rss;
const change = (last - first) / first;
console.log(
  `\n${RUNS} runs in ${((performance.now() - t0) / 1000).toFixed(0)} s; RSS after the first run ${mb(first)}, at the end ${mb(last)} (${(change * 100).toFixed(0)} %): ${Math.abs(change) <= 0.2 ? 'MET' : 'MISS'} (target: within 20 %)`,
);
await runner.dispose();
