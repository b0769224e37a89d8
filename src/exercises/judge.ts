/**
 * From a check run to the verdict the reader reads: which checks passed, what failed in their
 * terms ("2 of 5 trials lost updates: 1,998,734 of 2,000,000"), the failing trial's window on the
 * timeline, and "too close to call, run again" when a busy machine cannot decide a speed-up.
 * Pure: the widget and the tests feed it a report and the run's facts.
 */
import type { ExerciseCheck, ExerciseEntry, TimelineExpectation } from '../schemas/exercise.ts';
import type { TimelineSnapshot } from '../runtime/index.ts';
import type { CheckReport, TrialOutcome } from './report.ts';
import { judgeSpeedup, type SpeedupJudgement } from './speed.ts';

export type VerdictStatus =
  /** Every check passed. */
  | 'passed'
  /** A check failed: the reader's code does not do what the task asks (yet). */
  | 'failed'
  /** The reader's program raised before the checks could run (a traceback to show). */
  | 'error'
  /** A speed-up was too close to call on this (busy) machine: run again. Never "wrong". */
  | 'busy'
  /** Run Python lacks a feature the exercise needs; nothing was judged. */
  | 'unavailable'
  /** The reader pressed Stop. */
  | 'stopped'
  /** The time limit ran out (an endless loop or a deadlock) and the run was stopped. */
  | 'timeout';

export interface CheckLine {
  name: string;
  status: 'passed' | 'failed' | 'busy' | 'not-run';
  /** What happened, in the reader's terms (for failed and busy). */
  detail?: string;
}

export interface Verdict {
  status: VerdictStatus;
  /** One or two sentences for the reader (and the ARIA live region). */
  summary: string;
  /** One line per check, in order. */
  lines: CheckLine[];
  /** A Python traceback to show (the program's error or a check's exception). */
  traceback: string | null;
  /** The failing trial's window on the run's timeline (ms since the timeline's epoch). */
  failingWindow: { startMs: number; endMs: number } | null;
  /** The judged speed-up, when a check had one. */
  speedup: SpeedupJudgement | null;
}

/** What the engine knows about the run besides the report. */
export interface RunFacts {
  /** The program's uncaught exception. */
  error: { type: string; message: string; traceback: string } | null;
  stopped: boolean;
  timedOut: boolean;
  /** The run's timeline (null on real CPython: then timeline checks are not judged). */
  snapshot: TimelineSnapshot | null;
  /** The timeline's epoch − where perf_counter's zero lies on the page's clock: perf_counter ms minus this is timeline ms. */
  clockOffsetMs: number;
  /**
   * Interpreters the program asked for that were still starting when its work was done (so
   * they have no lane on the timeline): an overlap they could not take part in is not the
   * reader's fault. Absent: none.
   */
  stillStarting?: number;
  /** Characters the program printed (stdout and stderr); absent: not counted. */
  printedChars?: number;
}

/** Output above this many characters is worth naming when a run ran out of time. */
const LOTS_PRINTED = 1_000_000;

/**
 * Of the time within [startMs, endMs] that any lane (of `expect.kind`) was in `expect.states`,
 * the share during which at least `expect.lanes` lanes were: "did they overlap while they worked?"
 * Measured against their busy time, not the wall time, so start-up and the program's own waits
 * around the work do not dilute it.
 */
export function overlapShare(
  snapshot: TimelineSnapshot,
  expect: Pick<TimelineExpectation, 'states' | 'lanes' | 'kind'>,
  startMs: number,
  endMs: number,
): number {
  if (!(endMs > startMs)) return 0;
  const edges: [number, number][] = [];
  for (const lane of snapshot.lanes) {
    if (expect.kind && lane.kind !== expect.kind) continue;
    lane.events.forEach((e, i) => {
      if (!(expect.states as readonly string[]).includes(e.state)) return;
      const from = Math.max(startMs, e.t);
      const to = Math.min(endMs, lane.events[i + 1]?.t ?? snapshot.endMs);
      if (to > from) edges.push([from, 1], [to, -1]);
    });
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let last = startMs;
  let busy = 0;
  let together = 0;
  for (const [t, d] of edges) {
    if (active >= 1) busy += t - last;
    if (active >= expect.lanes) together += t - last;
    active += d;
    last = t;
  }
  return busy > 0 ? together / busy : 0;
}

/** How long, within [startMs, endMs], lanes (of `kind`) were still starting (booting). */
export function startingMs(
  snapshot: TimelineSnapshot,
  kind: TimelineExpectation['kind'],
  startMs: number,
  endMs: number,
): number {
  let total = 0;
  for (const lane of snapshot.lanes) {
    if (kind && lane.kind !== kind) continue;
    lane.events.forEach((e, i) => {
      if (e.state !== 'starting') return;
      const to = Math.min(endMs, lane.events[i + 1]?.t ?? snapshot.endMs);
      total += Math.max(0, to - Math.max(startMs, e.t));
    });
  }
  return total;
}

/** The snapshot cut to [startMs, endMs] and shifted to start at 0 (to draw one trial). */
export function clipSnapshot(
  snapshot: TimelineSnapshot,
  startMs: number,
  endMs: number,
): TimelineSnapshot {
  return {
    ...snapshot,
    endMs: endMs - startMs,
    lanes: snapshot.lanes.map((lane) => {
      const events = lane.events.filter((e, i) => {
        const next = lane.events[i + 1]?.t ?? snapshot.endMs;
        return next > startMs && e.t < endMs;
      });
      return {
        ...lane,
        events: events.map((e) => ({ ...e, t: Math.max(0, e.t - startMs) })),
      };
    }),
  };
}

/** States in which a lane is part of the program's concurrency (not idle, starting or done). */
const AT_WORK = new Set(['running', 'waiting', 'io', 'native', 'blocked']);

/**
 * How many lanes of `snapshot` did anything (ran, waited for the GIL or a lock, slept, ran C
 * code) before its end: a timeline of one lane (the main thread alone) shows nothing about
 * threads, so the exercise draws none (a trivial failure's "timeline of 0.1 ms" would be empty).
 */
export function lanesAtWork(snapshot: TimelineSnapshot): number {
  return snapshot.lanes.filter((lane) =>
    lane.events.some(
      (e, i) => AT_WORK.has(e.state) && (lane.events[i + 1]?.t ?? snapshot.endMs) > e.t,
    ),
  ).length;
}

/** The speed-up of a check's own version (pairs with `referenceMs`), or null without one. */
function referenceOf(
  pairs: NonNullable<CheckReport['checks'][number]['pairs']>,
  atLeast: number,
  ceiling: number,
): SpeedupJudgement | null {
  if (pairs.length === 0 || pairs.some((p) => p.referenceMs === undefined)) return null;
  return judgeSpeedup(
    pairs.map((p) => ({ baselineMs: p.baselineMs, runMs: p.referenceMs! })),
    atLeast,
    ceiling,
  );
}

/**
 * "2 of 5 trials lost updates: …". The check's own words for a failed trial (`fails`) name what
 * its assertions find; a trial whose code raised found nothing of the kind, so when one of the
 * failed trials raised they "failed".
 */
function trialsText(check: ExerciseCheck, failed: number, detail: string, raised = false): string {
  if (check.trials === 1) return detail;
  return `${failed} of ${check.trials} trials ${raised ? 'failed' : check.fails}: ${detail}`;
}

/**
 * `value` with as many decimals (from `decimals`) as it takes to sit on the same side of `bound`
 * as shown as it is in fact: a share of 29.6 % against a 30 % target reads "29.6 %", never
 * "30 %" (which would contradict the "needed: at least 30 %" beside it).
 */
export function figureAgainst(value: number, bound: number, decimals = 0): string {
  const below = value < bound;
  for (let d = decimals; d <= decimals + 4; d++) {
    const shown = value.toFixed(d);
    if (Number(shown) < bound === below) return shown;
  }
  return String(value);
}

/** A speed-up as the reader reads it, e.g. ×1.49 (never ×1.50 when it is below a ×1.5 target). */
function times(v: number, target: number): string {
  return `×${figureAgainst(v, target, 2)}`;
}

/** A share of busy time as a percentage, on the right side of the target (see figureAgainst). */
function percent(share: number, target: number): string {
  return `${figureAgainst(share * 100, target * 100)} %`;
}

/** A duration for "still starting for …": never "0.0 s" for something that took time. */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function windowOf(t: TrialOutcome, run: RunFacts) {
  return { startMs: t.startMs - run.clockOffsetMs, endMs: t.endMs - run.clockOffsetMs };
}

function verdict(
  status: VerdictStatus,
  summary: string,
  lines: CheckLine[],
  extra: Partial<Verdict> = {},
): Verdict {
  return { status, summary, lines, traceback: null, failingWindow: null, speedup: null, ...extra };
}

/** The verdict when Run Python lacks what the exercise needs (nothing was run). */
export function unavailable(exercise: ExerciseEntry): Verdict {
  return verdict(
    'unavailable',
    'Not judged: this exercise needs threads that change the same objects, and this browser has no WebAssembly stack switching (JSPI), so Run Python gives each thread its own interpreter with its own copy of them. Check it in a browser with JSPI, or with python3 on your computer.',
    exercise.checks.map((c) => ({ name: c.name, status: 'not-run' })),
  );
}

/** The verdict on a check run. `report` is null when the harness never reported. */
export function judge(exercise: ExerciseEntry, report: CheckReport | null, run: RunFacts): Verdict {
  const notRun = (): CheckLine[] =>
    exercise.checks.map((c) => ({ name: c.name, status: 'not-run' }));
  if (report === null) {
    if (run.timedOut) {
      const printed = run.printedChars ?? 0;
      // Printing is slow in the browser (each line crosses from a worker to the page): a
      // program that printed megabytes may simply not have finished.
      const why =
        printed > LOTS_PRINTED
          ? `it had printed ${(printed / 1e6).toFixed(1)} million characters by then (the box keeps only the last lines), and printing that much takes a while here: print less, or is there an endless loop?`
          : 'an endless loop, or threads waiting for each other (a deadlock)?';
      return verdict(
        'timeout',
        `Your code was still running after ${exercise.timeLimitS} s, so it was stopped: ${why}`,
        notRun(),
      );
    }
    if (run.stopped) return verdict('stopped', 'Stopped before the checks finished.', notRun());
    if (run.error?.type === 'Deadlock') {
      // CPython would hang; the model saw that nothing can wake any thread. Not an exception.
      return verdict(
        'error',
        'Your program deadlocked: every thread is waiting for another and nothing can wake one (CPython would hang here for ever). Where each thread waits is in the output below; the checks could not run.',
        notRun(),
      );
    }
    if (run.error) {
      return verdict(
        'error',
        `Your code raised ${run.error.type}: ${run.error.message}. The checks could not run; the traceback says where.`,
        notRun(),
        { traceback: run.error.traceback },
      );
    }
    return verdict(
      'error',
      'Your program ended before the checks could run (did it call sys.exit() or os._exit()?).',
      notRun(),
    );
  }

  if (report.program) {
    const { type, message, traceback } = report.program;
    return verdict(
      'error',
      `Your code raised ${type}: ${message}. The checks could not run; the traceback says where.`,
      notRun(),
      { traceback },
    );
  }

  const lines: CheckLine[] = [];
  let result: Verdict | null = null;
  let speedup: SpeedupJudgement | null = null;
  exercise.checks.forEach((check, i) => {
    const r = report.checks[i];
    // A report without every trial of every check is not a pass: the harness breaks off only
    // after a failure, so a shortened report means the program changed how it reports.
    if (result || !r || r.trials.length < check.trials) {
      lines.push({ name: check.name, status: 'not-run' });
      return;
    }
    // 1. The assertions of every trial.
    const failedTrials = r.trials.filter((t) => !t.ok);
    const first = failedTrials[0];
    if (first) {
      const raised = failedTrials.some((t) => t.kind === 'exception');
      const detail = trialsText(check, failedTrials.length, first.message ?? 'failed', raised);
      lines.push({ name: check.name, status: 'failed', detail });
      result = verdict('failed', `Not yet: ${check.name}: ${detail}.`, lines, {
        traceback: first.traceback ?? null,
        failingWindow: windowOf(first, run),
      });
      return;
    }
    // 2. What the runtime's timeline shows. Overlap needs one trial that shows it (a thread whose
    //    interpreter was still booting may start late once); no-overlap holds for every trial.
    if (check.timeline && run.snapshot) {
      const expect = check.timeline;
      const shares = r.trials.map((t) => {
        const w = windowOf(t, run);
        return overlapShare(run.snapshot!, expect, w.startMs, w.endMs);
      });
      const overlap = expect.expect === 'overlap';
      const meets = (share: number) =>
        overlap ? share >= expect.minShare : share < expect.minShare;
      const failing = shares.filter((share) => !meets(share)).length;
      const failed = overlap ? failing === shares.length : failing > 0;
      // Not at once because a lane was still booting (a busy machine starts interpreters slowly):
      // that says nothing about the reader's code, so it is "run again", never "wrong".
      const booting = overlap
        ? Math.max(
            ...r.trials.map((t) => {
              const w = windowOf(t, run);
              return startingMs(run.snapshot!, expect.kind, w.startMs, w.endMs);
            }),
          )
        : 0;
      const late = overlap ? (run.stillStarting ?? 0) : 0;
      if (failed && (booting > 0 || late > 0)) {
        const detail =
          booting > 0
            ? `another ${expect.kind ?? 'thread or process'} was still starting for ${duration(booting)} of the trial, so they could not overlap`
            : `${late === 1 ? 'another interpreter your code asked for was' : `${late} interpreters your code asked for were`} still starting when the work was done, so they could not overlap`;
        lines.push({ name: check.name, status: 'busy', detail });
        return;
      }
      if (failed) {
        // Show the trial closest to passing (overlap) or the worst one (no-overlap).
        const pick = shares.indexOf(Math.max(...shares));
        // The figure decides; the exercise's words only say what it means (written so that they
        // hold for any share on the failing side, e.g. "mostly one after the other", never
        // "never" beside 11 %: the schema refuses such words, src/schemas/exercise.ts).
        const share = shares[pick]!;
        const bound = `${Number((expect.minShare * 100).toFixed(2))} %`;
        // "2 threads at once": the main thread counts as one (e.g. waiting for the GIL while a
        // thread it just started runs), and the failing trial's timeline shows which.
        const kindWord =
          expect.kind === 'thread' ? ' threads' : expect.kind === 'process' ? ' processes' : '';
        const detail = trialsText(
          check,
          failing,
          `${expect.message} (${expect.lanes}${kindWord} at once for ${percent(share, expect.minShare)} of the time they were busy; ${overlap ? 'needed: at least' : 'allowed: under'} ${bound})`,
        );
        lines.push({ name: check.name, status: 'failed', detail });
        result = verdict('failed', `Not yet: ${check.name}: ${detail}.`, lines, {
          failingWindow: windowOf(r.trials[pick]!, run),
        });
        return;
      }
    }
    // 3. The speed-up, timed in pairs in the same run.
    if (check.speedup && r.error) {
      const detail = r.error.message ?? 'it raised';
      lines.push({ name: check.name, status: 'failed', detail });
      result = verdict('failed', `Not yet: ${check.name}: ${detail}.`, lines, {
        traceback: r.error.traceback ?? null,
      });
      return;
    }
    if (check.speedup && r.pairs) {
      const { atLeast, ceiling } = check.speedup;
      speedup = judgeSpeedup(r.pairs, atLeast, ceiling);
      // Every figure is written on its own side of the target (×1.49, never ×1.50, below ×1.5),
      // and the words beside it are the ones that figure allows.
      const x = (v: number) => times(v, atLeast);
      const n = r.pairs.length;
      const range = `between ${x(speedup.low)} and ${x(speedup.high)}`;
      // The check's own version, timed in the same pairs: could this machine show the speed-up
      // just then? If not, a slow candidate says nothing against the reader's code.
      const reference = referenceOf(r.pairs, atLeast, ceiling);
      if (speedup.outcome === 'failed' && reference && reference.outcome !== 'passed') {
        const mine = x(speedup.shown ?? speedup.high);
        const theirs =
          reference.high < atLeast
            ? `the check's own version reached only ${x(reference.shown ?? reference.high)} in the same ${n} timed pairs (it needs ${x(atLeast)}): other programs had the cores`
            : `the check's own version, timed in the same ${n} pairs, was not sure to reach ${x(atLeast)} either (between ${x(reference.low)} and ${x(reference.high)}): the machine was too busy to tell`;
        const detail = `yours ran ${mine} as fast as the baseline, but ${theirs}`;
        lines.push({ name: check.name, status: 'busy', detail });
        return;
      }
      if (speedup.outcome === 'failed') {
        const mine = reference
          ? `; the check's own version reached ${x(reference.shown ?? reference.low)} in the same pairs`
          : '';
        const detail = `${x(speedup.shown ?? speedup.high)} as fast as the baseline (${range} over ${n} timed pairs); it needs ${x(atLeast)}${mine}`;
        lines.push({ name: check.name, status: 'failed', detail });
        result = verdict('failed', `Not yet: ${check.name}: ${detail}.`, lines, { speedup });
        return;
      }
      if (speedup.outcome === 'busy') {
        let detail: string;
        if (speedup.confidence === 0) detail = `fewer than 3 of the ${n} timed pairs could be used`;
        else if (speedup.shown === null)
          detail = `the timings were impossible (faster than ${times(ceiling, ceiling)}, more than the machine can do)`;
        else if (speedup.high >= atLeast)
          detail = `${range} over ${n} timed pairs, and the ${x(atLeast)} it needs lies inside that range`;
        else
          detail = `${range} over ${n} timed pairs, below the ${x(atLeast)} it needs, but the pairs spread too widely to call it slow (their middle half spans ${Math.round(speedup.relativeSpread * 100)} % of the median)`;
        lines.push({ name: check.name, status: 'busy', detail });
        return;
      }
      lines.push({
        name: check.name,
        status: 'passed',
        detail: `${x(speedup.shown ?? atLeast)} as fast as the baseline`,
      });
      return;
    }
    lines.push({ name: check.name, status: 'passed' });
  });
  if (result) return result;
  const missing = lines.find((l) => l.status === 'not-run');
  if (missing)
    return verdict(
      'error',
      `The check's report is incomplete (${missing.name}: not run), so nothing is judged. Did your code end the program, or close its output, while the checks ran? Undo that and check again.`,
      lines,
    );
  const busy = lines.find((l) => l.status === 'busy');
  if (busy) {
    return verdict(
      'busy',
      `Too close to call, run again: ${busy.name}: ${busy.detail}. This machine is busy; that says nothing against your code.`,
      lines,
      { speedup },
    );
  }
  const n = lines.length;
  return verdict(
    'passed',
    `Solved: ${n === 1 ? 'the check passed' : `all ${n} checks passed`}${speedup ? ` (${lines.find((l) => l.detail)?.detail ?? ''})` : ''}.`,
    lines,
    { speedup },
  );
}
