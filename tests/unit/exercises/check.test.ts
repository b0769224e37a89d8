/**
 * runCheck's own decisions, with a stand-in runner that "runs" a program by replaying a report
 * (no Pyodide): which engine may judge what, and where a trial lands on the run's timeline.
 */
import { describe, expect, it } from 'vitest';
import {
  interpretersForCheck,
  OPEN_MARK,
  REPORT_MARK,
  runCheck,
  type CheckReport,
} from '../../../src/exercises/index.ts';
import type {
  PythonRunner,
  PythonRunOptions,
  PythonRunResult,
} from '../../../src/runtime/python/index.ts';
import { makeExercise } from './make-exercise.ts';
import { loadExercises } from './exercise-files.ts';

type Engine = PythonRunResult['engine'];

/** A runner whose every run prints `report` after the check's token, as the harness does. */
function replaying(
  report: CheckReport,
  engine: Engine,
  lanes: unknown[] = [],
): PythonRunner & { sources: string[] } {
  const sources: string[] = [];
  return {
    sources,
    run(source: string, options: PythonRunOptions = {}) {
      sources.push(source);
      const token = 'ab'.repeat(16);
      const result = (async () => {
        options.onProgress?.({ phase: 'running', message: 'Running' });
        const say = (text: string) =>
          options.onOutput?.({ lane: 0, label: 'MainThread', stream: 'stdout', text });
        say(`${OPEN_MARK}${token}\n`);
        say('hello\n');
        say(`\n${REPORT_MARK}${token}:${JSON.stringify(report)}\n`);
        return {
          ok: true,
          stopped: false,
          error: null,
          mode: 'gil',
          engine,
          wallMs: 10,
          interpreters: 1,
          startupMs: [0],
          timeline: { version: 1, endMs: 10, truncated: false, lanes },
          overlapMs: 0,
          switches: 0,
          lockHeldShare: null,
        } as unknown as PythonRunResult;
      })();
      return { timeline: null, result, stop: async () => undefined };
    },
    prewarm: async () => undefined,
    liveWorkers: 0,
    assets: null,
    dispose: async () => undefined,
  };
}

const make = (requires: string[], checks: unknown[]) => makeExercise(checks, requires);

const ok = { ok: true, startMs: 0, endMs: 5 };

describe('runCheck', () => {
  it('judges shared objects only where threads shared them', async () => {
    const ex = make(['shared-objects'], [{ name: 'count is exact', python: 'assert True' }]);
    const report: CheckReport = { checks: [{ trials: [ok], pairs: null, error: null }] };
    const shared = await runCheck(replaying(report, 'one-interpreter'), ex, 'x = 1');
    expect(shared.verdict.status).toBe('passed');
    // A run whose threads had copies proves nothing about a race: said, not judged.
    const copies = await runCheck(replaying(report, 'interpreter-per-thread'), ex, 'x = 1');
    expect(copies.verdict.status).toBe('unavailable');
    expect(copies.verdict.summary).toMatch(/^Not judged: .*WebAssembly stack switching/);
  });

  it('judges threads in C code that released the GIL from the timeline in one interpreter', async () => {
    const ex = make(
      [],
      [
        {
          name: 'hashed at once',
          python: 'pass',
          timeline: { states: ['native'], expect: 'overlap', message: 'mostly one at a time' },
        },
      ],
    );
    const report: CheckReport = { checks: [{ trials: [ok], pairs: null, error: null }] };
    // Two threads in hashlib: native at once for 0–4 ms of the trial's 0–5 ms, or one after
    // the other.
    const lane = (n: number, events: [number, string][]) => ({
      lane: n,
      label: `Thread-${n}`,
      kind: 'thread',
      lock: 0,
      dropped: 0,
      totalsMs: {},
      events: events.map(([t, state], seq) => ({ t, seq, state, task: null })),
    });
    const together = [
      lane(1, [
        [0, 'native'],
        [4, 'running'],
        [5, 'done'],
      ]),
      lane(2, [
        [0, 'native'],
        [4, 'running'],
        [5, 'done'],
      ]),
    ];
    const apart = [
      lane(1, [
        [0, 'native'],
        [2, 'running'],
        [5, 'done'],
      ]),
      lane(2, [
        [0, 'waiting'],
        [2, 'native'],
        [4, 'done'],
      ]),
    ];
    const judged = async (lanes: unknown[]) =>
      (await runCheck(replaying(report, 'one-interpreter', lanes), ex, 'x = 1')).verdict;
    expect((await judged(together)).status).toBe('passed');
    const failed = await judged(apart);
    expect(failed.status).toBe('failed');
    expect(failed.summary).toContain('mostly one at a time (2 at once for 0 % of the time');
  });

  it("places trials on the timeline with the harness's clock pair", async () => {
    const ex = make([], [{ name: 'fine', python: 'assert False' }]);
    const report: CheckReport = {
      checks: [
        {
          trials: [{ ok: false, kind: 'assertion', message: 'no', startMs: 1000, endMs: 1100 }],
          pairs: null,
          error: null,
        },
      ],
      // perf_counter's zero lies 100 ms after the page's timeOrigin (the worker's own clock).
      clock: { perfMs: 2000, epochMs: performance.timeOrigin + 2100 },
    };
    const runner = replaying(report, 'one-interpreter');
    const { verdict } = await runCheck(runner, ex, 'x = 1');
    // No timeline reader: the epoch is the page's timeOrigin, so the trial starts at 1100 ms.
    expect(verdict.failingWindow?.startMs).toBeCloseTo(1100, 6);
    expect(verdict.failingWindow?.endMs).toBeCloseTo(1200, 6);
    expect(runner.sources[0]).toContain('"_ARGS": (globals(), __gil_lab_reader');
  });

  it('boots, before the run, every interpreter a check needs at once (start-up is not judged)', () => {
    const all = loadExercises();
    const split = all.find((e) => e.id === 'escaping-the-gil/split-the-work')!;
    const primes = all.find((e) => e.id === 'threads-vs-processes/process-pool-primes')!;
    // max_workers=workers names no number: the program alone says 2, the check needs main + 2.
    expect(interpretersForCheck(split, split.solution)).toBe(3);
    expect(interpretersForCheck(primes, primes.solution)).toBe(3);
    expect(interpretersForCheck(primes, primes.starter)).toBe(3);
    const plain = all.find((e) => e.id === 'what-is-the-gil/best-of-n')!;
    expect(interpretersForCheck(plain, plain.solution)).toBe(2);
  });
});
