/**
 * Which of the course's Python listings (examples/python/**) Run Python cannot show as CPython
 * does, and why. The others are runnable on their pages (runnable-snippets.test.ts) and checked
 * against their expected output in Run Python (examples-in-run-python.test.ts).
 */

/** Listings that cannot run in a browser, and why (the page says so beside them). */
export const NOT_IN_THE_BROWSER: Record<string, string> = {
  'escaping-the-gil/c_release.py': 'it calls the C library through ctypes (no libc.so here)',
  'inside-the-gil/convoy.py': 'it measures round trips over a socket pair (no sockets here)',
  'threads-vs-processes/cpu_processes.py':
    'it starts multiprocessing.Process workers (no OS processes here)',
  'threads-vs-processes/startup_cost.py':
    'it times multiprocessing.Process start-up (no OS processes here)',
};
/**
 * Listings that run but do not yet show what CPython shows, and why. asyncio here is Pyodide's
 * WebLoop: while the loop's thread blocks in time.sleep, other tasks still get turns.
 */
export const NOT_THE_SAME: Record<string, string> = {
  'asyncio/blocking_call.py':
    "a blocking call inside a coroutine does not stop Pyodide's event loop (its other tasks still run)",
  'escaping-the-gil/native_release.py':
    'C calls that release the GIL (hashlib, zlib) run in the one interpreter: they do not overlap other threads yet',
  'escaping-the-gil/hashlib_cliff.py':
    'hashlib does not release the GIL here yet: its threads do not overlap above 2048 bytes',
  'what-is-the-gil/measure_first.py':
    'hashlib does not release the GIL here yet, so its threads do not overlap as in CPython',
};
