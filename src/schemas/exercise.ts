import { z } from 'zod';

/**
 * A "Your turn" exercise: content, not code. Each one is a YAML file in
 * `src/content/exercises/<lesson-slug>/<name>.yaml` (the `exercises` content collection, checked
 * against this schema at build time) and is shown with `<Exercise id="<lesson-slug>/<name>" />`.
 *
 * How a check works (src/exercises/): a hidden harness (src/exercises/harness.py) takes what it
 * reports with, then runs the reader's code as `__main__` (its own file name and line numbers),
 * then every check's Python against the reader's functions, `trials` times, and reports
 * structured results after a random token it announced before the reader's code ran: printing
 * the expected text, or patching json, print, sys.stdout, builtins or the module's names, never
 * passes. Checks assert behaviour, not only results (swap a reader's function for a watching
 * wrapper through `globals()` to see that threads really ran it), may ask the runtime's timeline
 * of a trial (did threads overlap?) and for a speed-up over a baseline measured in the same run,
 * judged with noise rules ("too close to call, run again").
 */

/** Thread states as the runtime's timeline records them (src/runtime/timeline.ts). */
export const TIMELINE_STATES = ['running', 'waiting', 'io', 'native', 'blocked'] as const;

/** Words a measured share beside them can contradict ("never" beside "11 %"). */
const ABSOLUTE_WORDS = /\b(never|always|not once|hardly|at all)\b/i;

/** What a trial's timeline must show: how many lanes were at once in one of `states`. */
export const timelineExpectation = z
  .object({
    /**
     * Which states count: `running` (holding a GIL and computing), `waiting` (for the GIL), `io`
     * (a blocking wait such as `time.sleep`), `native` (a C call that released the GIL, e.g.
     * hashlib), `blocked` (on a `threading.Lock`).
     */
    states: z.array(z.enum(TIMELINE_STATES)).min(1),
    /** How many lanes (threads or processes) must be in those states at once (default 2). */
    lanes: z.number().int().min(2).max(8).default(2),
    /** Count only lanes of this kind (default: both). */
    kind: z.enum(['thread', 'process']).optional(),
    /**
     * `overlap`: for at least `minShare` of the time any lane was in `states` during the trial
     * (their busy time: start-up does not count), `lanes` lanes were; `no-overlap`: for less.
     */
    expect: z.enum(['overlap', 'no-overlap']),
    /** Share of the lanes' busy time during the trial, 0…1 (default 0.3). */
    minShare: z.number().gt(0).max(1).default(0.3),
    /**
     * What a failing trial is told, in the reader's terms, e.g. "the downloads mostly waited one
     * after another". The measured share is added after it ("(2 at once for 11 % of the time
     * they were busy; needed: at least 25 %)"), so the words must hold for any share on the
     * failing side: "mostly", not "never" (which 11 % would contradict).
     */
    message: z
      .string()
      .min(1)
      .refine((m) => !ABSOLUTE_WORDS.test(m), {
        message:
          'the measured share is shown beside these words: say "mostly …", not "never", "always", "not once", "hardly" or "at all", which a share of 11 % would contradict',
      }),
  })
  .strict();

/** A speed-up the reader's code must reach over a baseline, both timed in the same run. */
export const speedupExpectation = z
  .object({
    /** Python expression timed as the baseline, e.g. `count_all_sequential(LIMITS)`. */
    baseline: z.string().min(1),
    /** Python expression timed as the reader's version, e.g. `count_all(LIMITS)`. */
    candidate: z.string().min(1),
    /**
     * Python expression of the check's own version that reaches the speed-up, timed in the same
     * pairs (e.g. `list(ProcessPoolExecutor(2).map(count_primes, LIMITS))`): it says what this
     * machine could do just then. When it does not reach `atLeast` either (other programs had
     * the cores), a slow candidate is "too close to call, run again", never "not fast enough".
     */
    reference: z.string().min(1).optional(),
    /** Interleaved pairs (baseline, candidate, baseline, …) to time (default 5). */
    pairs: z.number().int().min(3).max(15).default(5),
    /** The speed-up (baseline time ÷ candidate time) that passes, e.g. 1.3. */
    atLeast: z.number().gt(1),
    /**
     * The most the physics allows (e.g. 2 processes on 2 cores: 2): a measurement well above it
     * is noise, never a pass.
     */
    ceiling: z.number().gt(1),
  })
  .strict();

/** One hidden check: Python run after the reader's code, `trials` times. */
export const exerciseCheck = z
  .object({
    /** What it checks, shown to the reader as a line of the result, e.g. "count(4, 50_000) is 200,000". */
    name: z.string().min(1),
    /**
     * Python statements run as the body of a function after the reader's code, seeing the
     * module's names (the builtins come first: a global of the reader's never stands in for
     * one): `assert condition, "message in the reader's terms"`. Assert the behaviour too, not
     * only the result (a wrapper swapped in through `globals()["add"] = …` and put back sees
     * which threads ran it), or `return threads * n` passes. The message of the first failing
     * trial is shown (an exception shows its type, message and traceback). May use `trial`
     * (0-based trial number). Empty when the check is only `timeline` or `speedup`.
     * Compare what the reader's code returned with `same(got, want)`, never `got == want`:
     * `==` asks the returned object, and one whose `__eq__` always says True passes it; `same`
     * compares exact types and values (recursively through lists, tuples, dicts and sets) and
     * calls none of the reader's methods.
     */
    python: z.string().default(''),
    /** How many times to run it (default 1; races want several). */
    trials: z.number().int().min(1).max(20).default(1),
    /**
     * Words for "a trial failed", so feedback reads "2 of 5 trials lost updates: 1,998,734 of
     * 2,000,000" (default "failed"). They stand before every failing assert's message of the
     * check, so every assert of the check must be about that (put other facts, "add() ran in 1
     * thread", in a check of their own); a trial that raised is said as "failed".
     */
    fails: z.string().min(1).default('failed'),
    /** What the runtime's timeline of each trial must show (Run Python only). */
    timeline: timelineExpectation.optional(),
    /** A speed-up to reach, judged with the noise rules (Run Python only; once, not per trial). */
    speedup: speedupExpectation.optional(),
  })
  .strict()
  .refine((c) => c.python.trim() !== '' || c.timeline || c.speedup, {
    message: 'a check needs python, timeline or speedup',
  });

/** What a check needs from Run Python beyond what it always has. */
export const EXERCISE_REQUIREMENTS = ['shared-objects'] as const;

/** One exercise: the whole YAML file. */
export const exercise = z
  .object({
    /** Short title, e.g. "Fix the lost update". */
    title: z.string().min(1).max(80),
    /** The task in a sentence or two (Markdown: `code`, **bold**, _emphasis_). */
    task: z.string().min(1),
    /** The code the editor starts with. It must fail the checks (tests/unit/exercises proves it). */
    starter: z.string().min(1),
    /** Hints, revealed one at a time (at least two), from a nudge to nearly the answer. */
    hints: z.array(z.string().min(1)).min(2),
    /** A solution; shown after an attempt, beside the reader's code. It must pass the checks. */
    solution: z.string().min(1),
    /** The hidden checks, run in order; the first failing one is what the reader is told. */
    checks: z.array(exerciseCheck).min(1),
    /**
     * Runtime features the checks need: `shared-objects` (threads changing the same objects:
     * judged in Run Python's GIL mode, which runs every thread in one interpreter; in a browser
     * without WebAssembly stack switching, JSPI, the exercise says so instead of judging).
     * Threads in C code that released the GIL (hashlib, zlib on large buffers) need nothing:
     * both engines show them as `native` on the timeline.
     */
    requires: z.array(z.enum(EXERCISE_REQUIREMENTS)).default([]),
    /** Seconds before a check is stopped (an endless loop or a deadlock), default 30. */
    timeLimitS: z.number().int().min(5).max(120).default(30),
    /** File name shown in the editor and tracebacks (default "exercise.py"). */
    filename: z
      .string()
      .regex(/^[\w-]+\.py$/)
      .default('exercise.py'),
  })
  .strict();

export type TimelineExpectation = z.infer<typeof timelineExpectation>;
export type SpeedupExpectation = z.infer<typeof speedupExpectation>;
export type ExerciseCheck = z.infer<typeof exerciseCheck>;
export type Exercise = z.infer<typeof exercise>;
export type ExerciseRequirement = (typeof EXERCISE_REQUIREMENTS)[number];

/** An exercise with its id ("<lesson-slug>/<name>"), as the engine and the widget take it. */
export type ExerciseEntry = Exercise & { id: string };
