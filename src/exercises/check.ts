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
import type { TimelineReader } from '../runtime/index.ts';
import type { ExerciseEntry } from '../schemas/exercise.ts';
import { composeCheckProgram, newReportToken } from './compose.ts';
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

const probes = new WeakMap<PythonRunner, Promise<boolean>>();

/**
 * Do this runner's threads change the same objects, as CPython's do? Asked once per runner with a
 * tiny program (Run Python's threads were separate interpreters at first: issue 11 shares them).
 */
export function sharesObjects(runner: PythonRunner): Promise<boolean> {
  let probe = probes.get(runner);
  if (!probe) {
    const source = [
      'import threading',
      'box = []',
      't = threading.Thread(target=box.append, args=(1,))',
      't.start()',
      't.join()',
      'assert box == [1]',
      '',
    ].join('\n');
    probe = runner
      .run(source, { filename: 'probe.py' })
      .result.then((r) => r.ok)
      .catch(() => false);
    probes.set(runner, probe);
  }
  return probe;
}

/**
 * Interpreters a program will probably want: the main one plus the most threads it names
 * (max_workers=N, or Thread(...) calls). Only decides what to boot before the check starts.
 */
export function interpretersNeeded(code: string): number {
  const pools = [...code.matchAll(/max_workers\s*=\s*(\d+)/g)].map((m) => Number(m[1]));
  const threads = (code.match(/\bThread\(/g) ?? []).length;
  return Math.min(8, 1 + Math.max(1, threads, ...pools));
}

/** At most this many interpreters are booted before a check (more start when asked for). */
const PREWARM_MAX = 3;

/** How long after its report a run may keep going (leftover threads) before it is stopped. */
const AFTER_REPORT_MS = 2000;

/** Checks `code` against `exercise` in Run Python. Never throws for the program's errors. */
export async function runCheck(
  runner: PythonRunner,
  exercise: ExerciseEntry,
  code: string,
  options: CheckOptions = {},
): Promise<CheckRun> {
  if (exercise.requires.includes('shared-objects') && !(await sharesObjects(runner))) {
    return { verdict: unavailable(exercise), result: null };
  }
  // Boot the interpreters first, outside the run (their start-up is not the reader's code), one
  // at a time: on a busy machine several Pyodide boots at once can each miss their time limit.
  const want = Math.min(PREWARM_MAX, interpretersNeeded(code));
  for (let k = 1; k <= want && !options.signal?.aborted; k++) {
    await runner.prewarm(k, (p) =>
      options.onProgress?.({
        ...p,
        loaded: k - 1,
        total: want,
        message: `Starting Python: ${k} of ${want} interpreters`,
      }),
    );
  }
  if (options.signal?.aborted)
    return { verdict: judge(exercise, null, stoppedFacts), result: null };
  const token = newReportToken();
  const { source } = composeCheckProgram(exercise, code, { token });
  const catcher = new ReportCatcher(token);
  let reader: TimelineReader | null = null;
  let timedOut = false;
  let limit: ReturnType<typeof setTimeout> | undefined;
  let afterReport: ReturnType<typeof setTimeout> | undefined;
  const limitMs = (options.timeLimitS ?? exercise.timeLimitS) * 1000;
  const handle = runner.run(source, {
    filename: exercise.filename,
    ...(options.signal ? { signal: options.signal } : {}),
    onOutput: (o) => {
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
  const rest = catcher.flush();
  if (rest !== '')
    options.onOutput?.({ lane: 0, label: 'MainThread', stream: 'stdout', text: rest });
  const epoch = (reader as TimelineReader | null)?.epoch ?? performance.timeOrigin;
  const report = catcher.report;
  const verdict = judge(exercise, report, {
    error: result.error,
    stopped: result.stopped && !timedOut && report === null,
    timedOut: timedOut && report === null,
    snapshot: result.timeline,
    clockOffsetMs: epoch - performance.timeOrigin,
  });
  return { verdict, result };
}
