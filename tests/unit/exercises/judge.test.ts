import { describe, expect, it } from 'vitest';
import {
  clipSnapshot,
  figureAgainst,
  judge,
  judgeSpeedup,
  lanesAtWork,
  overlapShare,
  type CheckReport,
  type RunFacts,
} from '../../../src/exercises/index.ts';
import type { TimelineSnapshot, ThreadState } from '../../../src/runtime/index.ts';
import { makeExercise } from './make-exercise.ts';

const make = makeExercise;

const race = make([
  {
    name: 'count(2, 1_000_000) is 2,000,000',
    python: 'assert False',
    trials: 5,
    fails: 'lost updates',
  },
]);

const run = (over: Partial<RunFacts> = {}): RunFacts => ({
  error: null,
  stopped: false,
  timedOut: false,
  snapshot: null,
  clockOffsetMs: 0,
  ...over,
});

const trial = (ok: boolean, message?: string, startMs = 0, endMs = 100) => ({
  ok,
  startMs,
  endMs,
  ...(message ? { kind: 'assertion' as const, message } : {}),
});

/** A timeline with lanes given as [kind, [state, from ms]…]. */
function timeline(lanes: ['thread' | 'process', [ThreadState, number][]][], endMs: number) {
  return {
    version: 1,
    endMs,
    truncated: false,
    lanes: lanes.map(([kind, events], lane) => ({
      lane,
      label: `L${lane}`,
      kind,
      lock: 0,
      dropped: 0,
      totalsMs: {} as Record<ThreadState, number>,
      events: events.map(([state, t], seq) => ({ state, t, seq, task: null })),
    })),
  } as TimelineSnapshot;
}

describe('judge', () => {
  it('says what failed in the reader’s terms, counting failed trials', () => {
    const report: CheckReport = {
      checks: [
        {
          trials: [
            trial(true),
            trial(false, '1,998,734 of 2,000,000', 100, 200),
            trial(true),
            trial(false, '1,999,001 of 2,000,000', 300, 400),
            trial(true),
          ],
          pairs: null,
          error: null,
        },
      ],
    };
    const v = judge(race, report, run({ clockOffsetMs: 50 }));
    expect(v.status).toBe('failed');
    expect(v.lines[0]?.detail).toBe('2 of 5 trials lost updates: 1,998,734 of 2,000,000');
    // The failing trial's window, moved onto the timeline's clock.
    expect(v.failingWindow).toEqual({ startMs: 50, endMs: 150 });
  });

  it('passes when every trial of every check passed', () => {
    const report: CheckReport = {
      checks: [{ trials: Array.from({ length: 5 }, () => trial(true)), pairs: null, error: null }],
    };
    const v = judge(race, report, run());
    expect(v.status).toBe('passed');
    expect(v.summary).toMatch(/^Solved/);
  });

  it('an incomplete report (a check or trials missing) is never a pass', () => {
    const two = make([
      { name: 'first', python: 'pass', trials: 2, fails: 'x' },
      { name: 'second', python: 'pass', trials: 2, fails: 'y' },
    ]);
    const ok = () => ({ trials: [trial(true), trial(true)], pairs: null, error: null });
    // What a program that patched json.dumps sent: the first check forged, the second absent.
    expect(judge(two, { checks: [ok()] }, run()).status).toBe('error');
    const short = { trials: [trial(true)], pairs: null, error: null };
    expect(judge(two, { checks: [ok(), short] }, run()).status).toBe('error');
    expect(judge(two, { checks: [ok(), ok()] }, run()).status).toBe('passed');
  });

  it('without a report: a program error with its traceback, a timeout, or Stop', () => {
    const error = {
      type: 'NameError',
      message: "name 'x' is not defined",
      traceback: 'Traceback…',
    };
    const e = judge(race, null, run({ error }));
    expect(e.status).toBe('error');
    expect(e.traceback).toBe('Traceback…');
    expect(e.summary).toContain("NameError: name 'x' is not defined");
    const timeout = judge(race, null, run({ timedOut: true, stopped: true }));
    expect(timeout.status).toBe('timeout');
    expect(timeout.summary).toMatch(/an endless loop, or threads waiting for each other/);
    // A program that printed megabytes may simply not have finished: said, not only "a loop?".
    const printing = judge(race, null, run({ timedOut: true, printedChars: 21_300_000 }));
    expect(printing.summary).toContain('it had printed 21.3 million characters by then');
    expect(judge(race, null, run({ stopped: true })).status).toBe('stopped');
    expect(judge(race, null, run()).summary).toMatch(/ended before the checks/);
  });

  it('a deadlock is said as one (CPython would hang), with no empty traceback box', () => {
    const error = { type: 'Deadlock', message: 'every thread is waiting: deadlock', traceback: '' };
    const v = judge(race, null, run({ error }));
    expect(v.status).toBe('error');
    expect(v.summary).toMatch(/^Your program deadlocked: every thread is waiting/);
    expect(v.summary).not.toMatch(/raised|Deadlock:/);
    expect(v.traceback).toBeNull();
  });

  it('judges overlap on the timeline of each trial (Run Python only)', () => {
    const ex = make([
      {
        name: 'downloads overlap',
        timeline: { states: ['io'], expect: 'overlap', minShare: 0.5, message: 'mostly apart' },
      },
    ]);
    const report: CheckReport = {
      checks: [{ trials: [trial(true, undefined, 0, 100)], pairs: null, error: null }],
    };
    const together = timeline(
      [
        [
          'thread',
          [
            ['io', 0],
            ['done', 100],
          ],
        ],
        [
          'thread',
          [
            ['io', 10],
            ['done', 90],
          ],
        ],
      ],
      100,
    );
    const apart = timeline(
      [
        [
          'thread',
          [
            ['io', 0],
            ['done', 50],
          ],
        ],
        [
          'thread',
          [
            ['idle', 0],
            ['io', 50],
            ['done', 100],
          ],
        ],
      ],
      100,
    );
    expect(judge(ex, report, run({ snapshot: together })).status).toBe('passed');
    const v = judge(ex, report, run({ snapshot: apart }));
    expect(v.status).toBe('failed');
    expect(v.lines[0]?.detail).toMatch(
      /^mostly apart \(2 at once for 0 % of the time they were busy/,
    );
    // One trial whose threads started late (an interpreter booting) does not fail an overlap.
    const late = timeline(
      [
        [
          'thread',
          [
            ['io', 0],
            ['done', 100],
          ],
        ],
        [
          'thread',
          [
            ['idle', 0],
            ['io', 60],
            ['done', 100],
          ],
        ],
      ],
      100,
    );
    const trials = (...t: ReturnType<typeof trial>[]): CheckReport => ({
      checks: [{ trials: t, pairs: null, error: null }],
    });
    const first = trial(true, undefined, 0, 50);
    const second = trial(true, undefined, 50, 100);
    expect(judge(ex, trials(first), run({ snapshot: late })).status).toBe('failed');
    expect(judge(ex, trials(first, second), run({ snapshot: late })).status).toBe('passed');
    // On real CPython there is no timeline: only the asserts are judged.
    expect(judge(ex, report, run()).status).toBe('passed');
  });

  it('processes that did not overlap because one was still starting: "run again", not "wrong"', () => {
    const ex = make([
      {
        name: 'two processes at once',
        timeline: {
          states: ['running'],
          kind: 'process',
          expect: 'overlap',
          message: 'mostly in one process at a time',
        },
      },
    ]);
    const report: CheckReport = {
      checks: [{ trials: [trial(true, undefined, 0, 100)], pairs: null, error: null }],
    };
    const lanes = (second: [ThreadState, number][]) =>
      timeline(
        [
          [
            'process',
            [
              ['running', 0],
              ['idle', 60],
            ],
          ],
          ['process', second],
        ],
        100,
      );
    // The second process booted for most of the trial (a busy machine): the reader is not wrong.
    const booting = judge(
      ex,
      report,
      run({
        snapshot: lanes([
          ['starting', 0],
          ['running', 60],
          ['idle', 100],
        ]),
      }),
    );
    expect(booting.status).toBe('busy');
    expect(booting.summary).toMatch(
      /^Too close to call, run again: .*still starting for 60 ms of the trial/,
    );
    // Ready all along and still one after the other: that is the code.
    const apart = judge(
      ex,
      report,
      run({
        snapshot: lanes([
          ['idle', 0],
          ['running', 60],
          ['idle', 100],
        ]),
      }),
    );
    expect(apart.status).toBe('failed');
    // A process the pool asked for was still booting when the work was done: it never joined, so
    // it has no lane at all (a fresh page, its interpreters cold). Run again, not wrong.
    const alone = timeline(
      [
        [
          'process',
          [
            ['running', 0],
            ['idle', 100],
          ],
        ],
      ],
      100,
    );
    const cold = judge(ex, report, run({ snapshot: alone, stillStarting: 1 }));
    expect(cold.status).toBe('busy');
    expect(cold.summary).toMatch(
      /^Too close to call, run again: .*another interpreter your code asked for was still starting when the work was done/,
    );
    expect(judge(ex, report, run({ snapshot: alone })).status).toBe('failed');
  });

  it('a speed-up too close to call is "run again", never "wrong"', () => {
    const ex = make([
      { name: 'faster', speedup: { baseline: 'a()', candidate: 'b()', atLeast: 1.3, ceiling: 2 } },
    ]);
    const pairs = (ratios: number[]) => ratios.map((r) => ({ baselineMs: 100 * r, runMs: 100 }));
    const report = (ratios: number[]): CheckReport => ({
      checks: [{ trials: [trial(true)], pairs: pairs(ratios), error: null }],
    });
    expect(judge(ex, report([1.8, 1.9, 1.7, 1.85, 1.9]), run()).status).toBe('passed');
    expect(judge(ex, report([1.0, 1.05, 0.98, 1.01, 1.02]), run()).status).toBe('failed');
    // Below the target but noisy: a busy machine can hide a speed-up, so it cannot say "wrong".
    expect(judge(ex, report([0.75, 1.31, 1.0, 1.4, 0.8]), run()).status).toBe('busy');
    const busy = judge(ex, report([1.0, 1.8, 1.1, 1.9, 1.5]), run());
    expect(busy.status).toBe('busy');
    expect(busy.summary).toMatch(/^Too close to call, run again/);
    // Faster than the machine can physically be: noise, not a pass.
    expect(judge(ex, report([3, 3.5, 4, 3.2, 3.1]), run()).status).toBe('busy');
  });

  it("a slow candidate is 'wrong' only if the check's own version was fast in the same pairs", () => {
    const ex = make([
      {
        name: 'faster',
        speedup: {
          baseline: 'a()',
          candidate: 'b()',
          reference: 'c()',
          pairs: 3,
          atLeast: 1.4,
          ceiling: 2,
        },
      },
    ]);
    // Steady ratios (a quiet-looking spread): candidate ×1.0; the check's own version as given.
    const report = (reference: number[]): CheckReport => ({
      checks: [
        {
          trials: [trial(true)],
          pairs: reference.map((r, i) => ({
            baselineMs: 200,
            runMs: 200 / (1 + i * 0.01),
            referenceMs: 200 / r,
          })),
          error: null,
        },
      ],
    });
    // Every core taken by others: the check's own version got no speed-up either.
    const saturated = judge(ex, report([0.97, 1.0, 0.99]), run());
    expect(saturated.status).toBe('busy');
    expect(saturated.summary).toContain("the check's own version reached only ×0.99");
    // The machine could show it, the reader's code did not: not fast enough.
    const slow = judge(ex, report([1.9, 1.85, 1.95]), run());
    expect(slow.status).toBe('failed');
    expect(slow.summary).toContain("the check's own version reached ×1.90");
    // Its own version's median reached the target, but not surely: not "reached only".
    const unsure = judge(ex, report([1.2, 1.5, 1.9]), run());
    expect(unsure.status).toBe('busy');
    expect(unsure.summary).not.toContain('reached only');
    expect(unsure.summary).toContain(
      'was not sure to reach ×1.40 either (between ×1.20 and ×1.90)',
    );
  });
});

describe('feedback never contradicts its own figures', () => {
  it('a figure just below its target is shown below it (×1.4996, not ×1.50 beside "needs ×1.50")', () => {
    expect(figureAgainst(1.4996, 1.5, 2)).toBe('1.4996');
    expect(figureAgainst(1.494, 1.5, 2)).toBe('1.49');
    expect(figureAgainst(29.8, 30)).toBe('29.8');
    expect(figureAgainst(30, 30)).toBe('30');
    expect(figureAgainst(30.4, 30)).toBe('30');
    const ex = make([
      { name: 'faster', speedup: { baseline: 'a()', candidate: 'b()', atLeast: 1.5, ceiling: 4 } },
    ]);
    const pairs = [1.45, 1.46, 1.4996, 1.47, 1.48].map((r) => ({
      baselineMs: 100 * r,
      runMs: 100,
    }));
    const v = judge(ex, { checks: [{ trials: [trial(true)], pairs, error: null }] }, run());
    expect(v.status).toBe('failed');
    expect(v.summary).toContain('between ×1.45 and ×1.4996 over 5 timed pairs); it needs ×1.50');
  });

  it('an overlap share just below its target is shown below it, beside words that allow it', () => {
    const ex = make([
      {
        name: 'at once',
        trials: 1,
        timeline: { states: ['io'], expect: 'overlap', minShare: 0.3, message: 'mostly apart' },
      },
    ]);
    const report: CheckReport = {
      checks: [{ trials: [trial(true, undefined, 0, 100)], pairs: null, error: null }],
    };
    // Both lanes wait from 0; one until 100, the other until 29.8: together 29.8 % of the time.
    const snapshot = timeline(
      [
        [
          'thread',
          [
            ['io', 0],
            ['done', 100],
          ],
        ],
        [
          'thread',
          [
            ['io', 0],
            ['done', 29.8],
          ],
        ],
      ],
      100,
    );
    const v = judge(ex, report, run({ snapshot }));
    expect(v.status).toBe('failed');
    expect(v.lines[0]?.detail).toBe(
      'mostly apart (2 at once for 29.8 % of the time they were busy; needed: at least 30 %)',
    );
  });

  it('a noisy speed-up below its target is "run again" in words that say why, not "around" it', () => {
    const ex = make([
      { name: 'faster', speedup: { baseline: 'a()', candidate: 'b()', atLeast: 1.5, ceiling: 4 } },
    ]);
    const pairs = [0.8, 1.0, 1.2, 1.3, 1.4].map((r) => ({ baselineMs: 100 * r, runMs: 100 }));
    const v = judge(ex, { checks: [{ trials: [trial(true)], pairs, error: null }] }, run());
    expect(v.status).toBe('busy');
    expect(v.summary).toContain('between ×0.80 and ×1.40 over 5 timed pairs, below the ×1.50');
    expect(v.summary).toContain('spread too widely to call it slow');
    expect(v.summary).not.toContain('around');
  });

  it("a trial that raised is counted as failed, not with the check's words for what it finds", () => {
    const report: CheckReport = {
      checks: [
        {
          trials: [
            trial(true),
            { ok: false, kind: 'exception', message: 'TypeError: no', startMs: 0, endMs: 1 },
            trial(false, '1,999,001 of 2,000,000'),
            trial(true),
            trial(true),
          ],
          pairs: null,
          error: null,
        },
      ],
    };
    expect(judge(race, report, run()).lines[0]?.detail).toBe('2 of 5 trials failed: TypeError: no');
  });
});

describe('overlapShare and clipSnapshot', () => {
  const snap = timeline(
    [
      [
        'process',
        [
          ['running', 0],
          ['done', 100],
        ],
      ],
      [
        'process',
        [
          ['idle', 0],
          ['running', 50],
          ['done', 150],
        ],
      ],
      [
        'thread',
        [
          ['running', 0],
          ['done', 150],
        ],
      ],
    ],
    150,
  );

  it('counts only the lanes of the kind asked, within the window', () => {
    expect(
      overlapShare(snap, { states: ['running'], lanes: 2, kind: 'process' }, 0, 100),
    ).toBeCloseTo(0.5);
    expect(overlapShare(snap, { states: ['running'], lanes: 2 }, 0, 150)).toBeCloseTo(1);
    expect(overlapShare(snap, { states: ['running'], lanes: 3 }, 0, 150)).toBeCloseTo(50 / 150);
  });

  it('clips a trial’s part of the timeline and starts it at 0', () => {
    const clipped = clipSnapshot(snap, 50, 100);
    expect(clipped.endMs).toBe(50);
    expect(clipped.lanes[1]?.events.map((e) => [e.state, e.t])).toEqual([['running', 0]]);
    expect(clipped.lanes[0]?.events.map((e) => [e.state, e.t])).toEqual([['running', 0]]);
  });

  it('counts the lanes at work, so a trial of the main thread alone draws no timeline', () => {
    expect(lanesAtWork(snap)).toBe(3);
    // 0–40 ms: the second process is still idle; it only starts at 50.
    expect(lanesAtWork(clipSnapshot(snap, 0, 40))).toBe(2);
    const alone = timeline(
      [
        ['thread', [['running', 0]]],
        [
          'process',
          [
            ['idle', 0],
            ['starting', 0.05],
          ],
        ],
      ],
      0.1,
    );
    expect(lanesAtWork(alone)).toBe(1);
  });
});

describe('judgeSpeedup', () => {
  it('decides only when the whole interval is on one side', () => {
    expect(judgeSpeedup([{ baselineMs: 2, runMs: 1 }], 1.3, 2).outcome).toBe('busy');
  });
});
