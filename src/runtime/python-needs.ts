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
 * Does the program start processes (ProcessPoolExecutor, multiprocessing)? Processes need
 * interpreters of their own, so such a program runs on one interpreter per thread in GIL mode
 * too (its threads then share no objects).
 */
export function startsProcesses(source: string): boolean {
  return /ProcessPoolExecutor|multiprocessing/.test(source);
}
