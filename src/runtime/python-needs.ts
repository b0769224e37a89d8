/**
 * How many interpreters a Python program will probably want: the main one plus the most threads it
 * names (`max_workers=N`, or `Thread(...)` calls), at most 8. A guess from the source only decides
 * what to boot before a run starts (so a run's timings measure the program, not Pyodide's
 * start-up); more interpreters start when the program asks. Run Python blocks and exercise checks
 * both use it. Pure: no Pyodide is loaded for it.
 */
export function interpretersFor(source: string): number {
  const pools = [...source.matchAll(/max_workers\s*=\s*(\d+)/g)].map((m) => Number(m[1]));
  const threads = (source.match(/\bThread\(/g) ?? []).length;
  return Math.min(8, 1 + Math.max(1, threads, ...pools));
}

/**
 * Does the program start processes (ProcessPoolExecutor, multiprocessing)? Each process is an
 * interpreter of its own (in GIL mode beside the one that runs every thread: processesFor).
 */
export function startsProcesses(source: string): boolean {
  return /ProcessPoolExecutor|multiprocessing/.test(source);
}

/** Process interpreters at most for one run (each is a whole interpreter: ~100 MB). */
export const MAX_PROCESSES = 8;

/**
 * How many process interpreters to start before a GIL-mode program that makes a
 * ProcessPoolExecutor runs: the largest `ProcessPoolExecutor(N)` / `max_workers=N` it names, or
 * `cpuCount` (CPython's default) when a pool names none; at most MAX_PROCESSES. 0 without one.
 */
export function processesFor(source: string, cpuCount: number): number {
  if (!source.includes('ProcessPoolExecutor')) return 0;
  const pools = [...source.matchAll(/ProcessPoolExecutor\(([^)]*)/g)].map((m) => m[1] ?? '');
  // The class passed around (`run(ProcessPoolExecutor)`): any max_workers=N the program names.
  if (pools.length === 0) {
    const named = [...source.matchAll(/max_workers\s*=\s*(\d+)/g)].map((m) => Number(m[1]));
    return Math.min(MAX_PROCESSES, Math.max(1, ...(named.length > 0 ? named : [cpuCount])));
  }
  const sizes = pools.map((args) => {
    const n = /^\s*(?:max_workers\s*=\s*)?(\d+)/.exec(args) ?? /max_workers\s*=\s*(\d+)/.exec(args);
    return n === null ? cpuCount : Number(n[1]);
  });
  return Math.min(MAX_PROCESSES, Math.max(1, ...sizes));
}
