/**
 * Runs a check: the reader's code plus the hidden harness in Run Python, with a time limit; the
 * report is taken out of the output the reader sees; the verdict comes from judge().
 */
import type {
  PythonOutput,
  PythonProgress,
  PythonRunner,
  PythonRunResult,
} from '../runtime/python/index.ts';
import { hasStackSwitching } from '../runtime/python/index.ts';
import { interpretersFor, type TimelineReader } from '../runtime/index.ts';
import type { ExerciseEntry } from '../schemas/exercise.ts';
import { composeCheckProgram } from './compose.ts';
import { judge, unavailable, type Verdict } from './judge.ts';
import { ReportCatcher } from './report.ts';

export interface CheckOptions {
  /** Aborting it is Stop. */
  signal?: AbortSignal;
  /** The output the reader sees (the report line is not part of it). */
  onOutput?: (o: PythonOutput) => void;
  onProgress?: (p: PythonProgress) => void;
  onTimeline?: (reader: TimelineReader) => void;
  /** For tests: seconds instead of the exercise's timeLimitS. */
  timeLimitS?: number;
}

export interface CheckRun {
  verdict: Verdict;
  /** The run itself (its timeline, for drawing the failing trial); null if nothing ran. */
  result: PythonRunResult | null;
}

const stoppedFacts = {
  error: null,
  stopped: true,
  timedOut: false,
  snapshot: null,
  clockOffsetMs: 0,
};

/**
 * Can threads change the same objects in this runtime, as CPython's do? Run Python's GIL mode
 * runs every thread of a program in ONE interpreter where the engine has WebAssembly stack
 * switching (JSPI); without it each thread is its own interpreter with its own copy of the
 * objects, and an exercise about shared objects cannot be judged (the run's `engine` confirms it).
 */
export function sharesObjects(): boolean {
  return hasStackSwitching();
}

/** At most this many interpreters are booted for the program's own guess (more start when asked for). */
const PREWARM_MAX = 3;

/**
 * How many interpreters to boot before a check of `code` runs, so their start-up is not part of
 * what the check judges: the program's own guess (interpretersFor), and never fewer than a
 * check's timeline needs lanes at once, plus the main program (a process is always an
 * interpreter of its own; so is a thread where threads share no objects).
 */
export function interpretersForCheck(exercise: ExerciseEntry, code: string): number {
  const lanes = Math.max(0, ...exercise.checks.map((c) => c.timeline?.lanes ?? 0));
  return Math.max(Math.min(PREWARM_MAX, interpretersFor(code)), lanes === 0 ? 1 : 1 + lanes);
}

/** How long after its report a run may keep going (leftover threads) before it is stopped. */
const AFTER_REPORT_MS = 2000;

/**
 * Boots the interpreters of the engine a check of `code` will run on, outside the run (their
 * start-up is not the reader's code), one at a time: on a busy machine several Pyodide boots at
 * once can each miss their time limit. The widget calls it ahead of a Check, too (a process
 * interpreter takes seconds to start), while the reader works on an exercise that needs one.
 */
export async function prewarmCheck(
  runner: PythonRunner,
  exercise: ExerciseEntry,
  code: string,
  options: Pick<CheckOptions, 'signal' | 'onProgress'> = {},
): Promise<void> {
  const { source } = composeCheckProgram(exercise, code);
  const want = interpretersForCheck(exercise, code);
  for (let k = 1; k <= want && !options.signal?.aborted; k++) {
    await runner.prewarm(
      k,
      (p) =>
        options.onProgress?.({
          ...p,
          loaded: k - 1,
          total: want,
          message: `Starting Python: ${k} of ${want} interpreters`,
        }),
      { mode: 'gil', source },
    );
  }
}

/** Checks `code` against `exercise` in Run Python. Never throws for the program's errors. */
export async function runCheck(
  runner: PythonRunner,
  exercise: ExerciseEntry,
  code: string,
  options: CheckOptions = {},
): Promise<CheckRun> {
  const needsShared = exercise.requires.includes('shared-objects');
  if (needsShared && !sharesObjects()) return { verdict: unavailable(exercise), result: null };
  const { source } = composeCheckProgram(exercise, code);
  await prewarmCheck(runner, exercise, code, options);
  if (options.signal?.aborted)
    return { verdict: judge(exercise, null, stoppedFacts), result: null };
  const catcher = new ReportCatcher();
  let reader: TimelineReader | null = null;
  let timedOut = false;
  let printedChars = 0;
  let limit: ReturnType<typeof setTimeout> | undefined;
  let afterReport: ReturnType<typeof setTimeout> | undefined;
  const limitMs = (options.timeLimitS ?? exercise.timeLimitS) * 1000;
  const handle = runner.run(source, {
    mode: 'gil',
    filename: exercise.filename,
    // The harness reads a clock (perf_counter) whatever the reader wrote, and a check has a time
    // limit: it never waits for the eval-loop warm-up (green/warm-up.ts).
    waitForWarmUp: false,
    ...(options.signal ? { signal: options.signal } : {}),
    onOutput: (o) => {
      printedChars += o.text.length;
      const text = o.lane === 0 && o.stream === 'stdout' ? catcher.feed(o.text) : o.text;
      if (text !== '') options.onOutput?.({ ...o, text });
      // A deadlocked thread the checks left behind would keep the run alive: end it.
      if (catcher.complete && afterReport === undefined) {
        afterReport = setTimeout(() => void handle.stop(), AFTER_REPORT_MS);
      }
    },
    onProgress: (p) => {
      // The time limit counts the program, not Pyodide's start-up.
      if (p.phase === 'running' && limit === undefined) {
        limit = setTimeout(() => {
          timedOut = true;
          void handle.stop();
        }, limitMs);
      }
      options.onProgress?.(p);
    },
    onTimeline: (r) => {
      reader = r;
      options.onTimeline?.(r);
    },
  });
  let result: PythonRunResult;
  try {
    result = await handle.result;
  } finally {
    clearTimeout(limit);
    clearTimeout(afterReport);
  }
  // A runner made to give each thread its own interpreter (tests of that engine) cannot judge
  // shared objects either: say so rather than judge copies.
  if (needsShared && result.engine !== 'one-interpreter') {
    return { verdict: unavailable(exercise), result };
  }
  const rest = catcher.flush();
  if (rest !== '')
    options.onOutput?.({ lane: 0, label: 'MainThread', stream: 'stdout', text: rest });
  const epoch = (reader as TimelineReader | null)?.epoch ?? performance.timeOrigin;
  const report = catcher.report;
  // Where perf_counter's zero lies on the page's clock: the harness says; else the page's start.
  const perfZero = report?.clock
    ? report.clock.epochMs - report.clock.perfMs
    : performance.timeOrigin;
  // Both engines put C code that released the GIL (hashlib, zlib) on the timeline as `native`.
  const verdict = judge(exercise, report, {
    error: result.error,
    stopped: result.stopped && !timedOut && report === null,
    timedOut: timedOut && report === null,
    snapshot: result.timeline,
    clockOffsetMs: epoch - perfZero,
    stillStarting: result.stillStarting ?? 0,
    printedChars,
  });
  return { verdict, result };
}
