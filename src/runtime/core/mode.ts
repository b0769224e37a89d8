/**
 * The one vocabulary for how Python work runs, shared by both engines, the widgets, the bench and
 * the tests (issue 13: it used to have three spellings).
 */

/**
 * How the threads of one Python process share it: `gil`, standard CPython, one thread runs Python
 * at a time; `free-threaded`, the 3.13t+ build with the GIL off (PYTHON_GIL=0), threads run at
 * once. Run Python and an experiment's threads run in one of these.
 */
export const THREAD_MODES = ['gil', 'free-threaded'] as const;
/** A thread mode: `gil` or `free-threaded`. */
export type ThreadMode = (typeof THREAD_MODES)[number];

/**
 * How an experiment's workers run: threads of one process in a thread mode, or `processes`, one
 * interpreter (and GIL) each, as a process pool has.
 */
export const MODES = [...THREAD_MODES, 'processes'] as const;
/** An experiment's mode: a thread mode or `processes`. */
export type Mode = (typeof MODES)[number];

/**
 * How an experiment's tasks are spread, as concurrent.futures does it and as the reader sees it:
 * `sequential`, one after another on one thread; `threads`, a ThreadPoolExecutor (its threads in a
 * thread mode); `processes`, a ProcessPoolExecutor (mode `processes`). The one spelling used by
 * lesson presets, widget settings, run configurations and results.
 */
export const EXECUTORS = ['sequential', 'threads', 'processes'] as const;
/** An executor: `sequential`, `threads` or `processes`. */
export type ExecutorKind = (typeof EXECUTORS)[number];

/**
 * Earlier spellings of the executors (run configurations and recordings before issue 13 said
 * `thread-pool` and `process-pool`), accepted on read so nothing written with them breaks.
 */
const LEGACY_EXECUTORS: Readonly<Record<string, ExecutorKind>> = {
  'thread-pool': 'threads',
  'process-pool': 'processes',
};

/** `name` in today's spelling when it is an earlier spelling of an executor, else `name` as given. */
export function currentExecutorName(name: unknown): unknown {
  return typeof name === 'string' && Object.hasOwn(LEGACY_EXECUTORS, name)
    ? LEGACY_EXECUTORS[name]
    : name;
}
