import type { ExperimentSettings } from '../../schemas/experiment.ts';

/**
 * The Python program that does what an experiment's settings do: the reader can copy it and run
 * it on real CPython. Pure and deterministic, so the page can render it at build time and update
 * it in the browser, and a unit test can run every variant with python3.
 */

/** Work per task in the program; the browser calibrates its own sizes to the device instead. */
export interface ProgramSizes {
  /**
   * countdown iterations per task: 15 million, as in countdown.py ("What the GIL is") and the
   * playground, so the programs a reader compares do the same work. (The CPython reference
   * measurement calibrates its own size to about 0.3 s a countdown on its machine; the lessons
   * quote it from cpython-reference.json.)
   */
  countdown: number;
  /** seconds per blocking call in io tasks. */
  sleepS: number;
  /** increments per thread in the race. */
  increments: number;
  /** MB hashed per task by the native workload. */
  hashMB: number;
}

/** Sizes for a reader's machine: each task takes a few hundred ms on CPython 3.11. */
export const DEFAULT_SIZES: ProgramSizes = {
  countdown: 15_000_000,
  sleepS: 0.05,
  increments: 100_000,
  hashMB: 64,
};

const POOL = {
  threads: 'ThreadPoolExecutor',
  processes: 'ProcessPoolExecutor',
} as const;

function num(n: number): string {
  return Number.isInteger(n) && n >= 10_000
    ? n.toLocaleString('en-US').replaceAll(',', '_')
    : String(n);
}

function header(s: ExperimentSettings, imports: string[]): string[] {
  const lines = [...imports];
  if (s.executor !== 'sequential') {
    const pool = POOL[s.executor];
    lines.push(`from concurrent.futures import ${pool}`);
    if (s.executor === 'processes') lines.unshift('import multiprocessing');
  }
  lines.sort((a, b) => a.localeCompare(b));
  const out = ['# What this experiment does, in CPython. Run it: python3 experiment.py'];
  if (s.mode === 'free-threaded') {
    out.push(
      '# GIL off: run it on a free-threaded build (3.13t/3.14t): PYTHON_GIL=0 python3.14t experiment.py',
    );
  }
  out.push(...lines, '');
  if (s.executor !== 'processes' && s.switchIntervalMs !== 5) {
    out.push(
      `sys.setswitchinterval(${s.switchIntervalMs / 1000})  # ${s.switchIntervalMs} ms; default 5 ms`,
      '',
    );
  }
  return out;
}

/** `with Pool(...) as pool:` plus the call that runs `tasks` copies of `fn(arg)`. */
function runTasks(s: ExperimentSettings, fn: string, arg: string, tasks: number): string[] {
  if (s.executor === 'sequential') {
    return [`    for _ in range(${tasks}):`, `        ${fn}(${arg})`];
  }
  const ctx =
    s.executor === 'processes'
      ? `, mp_context=multiprocessing.get_context("${s.startMethod}")`
      : '';
  return [
    `    with ${POOL[s.executor]}(max_workers=${s.workers}${ctx}) as pool:`,
    `        results = list(pool.map(${fn}, [${arg}] * ${tasks}))`,
  ];
}

function timed(body: string[]): string[] {
  return [
    'if __name__ == "__main__":',
    '    start = time.perf_counter()',
    ...body,
    '    print(f"wall time: {time.perf_counter() - start:.3f} s")',
  ];
}

function needsSys(s: ExperimentSettings): string[] {
  return s.executor !== 'processes' && s.switchIntervalMs !== 5 ? ['import sys'] : [];
}

/** The program for `settings`; `sizes` lets tests run it small. */
export function pythonProgram(
  settings: ExperimentSettings,
  sizes: ProgramSizes = DEFAULT_SIZES,
): string {
  const s = settings;
  const tasks = s.tasks ?? (s.executor === 'sequential' ? Math.max(1, s.workers) : s.workers);
  const lines: string[] = [];
  switch (s.workload) {
    case 'cpu':
      lines.push(
        ...header(s, ['import time', ...needsSys(s)]),
        'def countdown(n):',
        '    while n > 0:',
        '        n -= 1',
        '',
        `N = ${num(sizes.countdown)}`,
        '',
        ...timed(runTasks(s, 'countdown', 'N', tasks)),
      );
      break;
    case 'io':
      lines.push(
        ...header(s, ['import time', ...needsSys(s)]),
        'def fetch(seconds):',
        '    time.sleep(seconds)  # blocking I/O: the GIL is released while it waits',
        '    return seconds',
        '',
        ...timed(runTasks(s, 'fetch', String(sizes.sleepS), tasks)),
      );
      break;
    case 'native':
      lines.push(
        ...header(s, ['import hashlib', 'import time', ...needsSys(s)]),
        `DATA = bytes(${sizes.hashMB} * 1024 * 1024)`,
        '',
        'def digest(data):',
        '    # hashlib releases the GIL while it hashes buffers of 2048 bytes or more',
        '    return hashlib.sha256(data).hexdigest()',
        '',
        ...timed(runTasks(s, 'digest', 'DATA', tasks)),
      );
      break;
    case 'native-held':
      lines.push(
        ...header(s, ['import hashlib', 'import time', ...needsSys(s)]),
        'CHUNK = bytes(2047)  # under 2048 bytes hashlib keeps the GIL while it hashes',
        `CALLS = ${num(Math.floor((sizes.hashMB * 1024 * 1024) / 2047))}  # ${sizes.hashMB} MiB in 2,047-byte messages`,
        '',
        'def digest_small(calls):',
        '    for _ in range(calls):',
        '        hashlib.sha256(CHUNK).digest()',
        '',
        ...timed(runTasks(s, 'digest_small', 'CALLS', tasks)),
      );
      break;
    case 'race':
      lines.push(...raceProgram(s, sizes));
      break;
    case 'mixed':
      lines.push(...convoyProgram(s, sizes));
      break;
    case 'asyncio':
      lines.push(...asyncioProgram(s, sizes, tasks));
      break;
  }
  return lines.join('\n') + '\n';
}

function raceProgram(s: ExperimentSettings, sizes: ProgramSizes): string[] {
  const threaded = { ...s, executor: 'threads' as const };
  const threads = Math.max(2, s.workers);
  const body = s.callBetween
    ? [
        '        value = counter',
        '        pause()  # any call: the GIL may switch here',
        '        counter = value + 1',
      ]
    : ['        counter += 1  # LOAD, ADD, STORE: three steps'];
  const guarded = s.useLock ? ['        with lock:', ...body.map((line) => `    ${line}`)] : body;
  return [
    ...header(threaded, ['import threading', 'import time', ...needsSys(threaded)]),
    'counter = 0',
    'lock = threading.Lock()',
    '',
    'def pause():',
    '    pass',
    '',
    'def increment(times):',
    '    global counter',
    '    for _ in range(times):',
    ...guarded,
    '',
    `N = ${num(sizes.increments)}`,
    '',
    ...timed([
      `    with ThreadPoolExecutor(max_workers=${threads}) as pool:`,
      `        list(pool.map(increment, [N] * ${threads}))`,
      `    print(f"expected {N * ${threads}}, got {counter}, lost {N * ${threads} - counter}")`,
    ]),
  ];
}

function convoyProgram(s: ExperimentSettings, sizes: ProgramSizes): string[] {
  const threaded = { ...s, executor: 'threads' as const };
  const cpuThreads = Math.max(1, s.workers - 1);
  return [
    ...header(threaded, ['import statistics', 'import time', ...needsSys(threaded)]),
    'def countdown(n):',
    '    while n > 0:',
    '        n -= 1',
    '',
    'def io_loop(calls):',
    '    # Each short blocking call releases the GIL; getting it back means waiting',
    '    # for a CPU thread to be asked to drop it: up to one switch interval.',
    '    waits = []',
    '    for _ in range(calls):',
    '        start = time.perf_counter()',
    '        time.sleep(0.0005)',
    '        waits.append(time.perf_counter() - start)',
    '    return statistics.median(waits) * 1000',
    '',
    `N = ${num(sizes.countdown)}`,
    '',
    ...timed([
      `    with ThreadPoolExecutor(max_workers=${cpuThreads + 1}) as pool:`,
      `        cpu = [pool.submit(countdown, N) for _ in range(${cpuThreads})]`,
      '        io = pool.submit(io_loop, 200)',
      '        print(f"median I/O round trip: {io.result():.2f} ms")',
    ]),
  ];
}

function asyncioProgram(_s: ExperimentSettings, sizes: ProgramSizes, tasks: number): string[] {
  const waits = Math.max(tasks, 100);
  return [
    '# What this experiment does, in CPython. Run it: python3 experiment.py',
    'import asyncio',
    'import time',
    '',
    'async def fetch(seconds):',
    '    await asyncio.sleep(seconds)  # yields to the event loop while it waits',
    '    return seconds',
    '',
    'async def main():',
    `    results = await asyncio.gather(*(fetch(${sizes.sleepS}) for _ in range(${waits})))`,
    '    return len(results)',
    '',
    ...timed(['    asyncio.run(main())']),
  ];
}
