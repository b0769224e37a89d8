/**
 * The course's Python listings (examples/python/**) that a page shows without a Run button, and
 * why: the page prints the reason beside the listing (StaticPython.astro). Every other listing
 * is runnable on its page and checked against its expected output in Run Python
 * (tests/unit/runtime/python/examples-in-run-python.test.ts).
 */

/** Listings that cannot run in a browser at all, and why. */
export const NOT_IN_THE_BROWSER: Readonly<Record<string, string>> = {
  'escaping-the-gil/c_release.py': 'it calls the C library through ctypes (no libc.so here)',
  'inside-the-gil/convoy.py': 'it measures round trips over a socket pair (no sockets here)',
  'threads-vs-processes/cpu_processes.py':
    'it starts multiprocessing.Process workers (no OS processes here)',
  'threads-vs-processes/startup_cost.py':
    'it times multiprocessing.Process start-up (no OS processes here)',
};

/**
 * Listings that would run but not show what CPython shows, and why (none today: asyncio's
 * blocking_call.py was one until the event loop ran on the program's own thread, as CPython's).
 */
export const NOT_THE_SAME: Readonly<Record<string, string>> = {};

/** What the page says beside a listing it does not let the reader run (null: it is runnable). */
export function notRunnableNote(file: string): string | null {
  const cannot = NOT_IN_THE_BROWSER[file];
  if (cannot !== undefined) return `${cannot}. Run it with python3 on your own machine.`;
  const differs = NOT_THE_SAME[file];
  if (differs !== undefined)
    return `${differs}. Run it with python3 on your own machine to see what CPython does.`;
  return null;
}
