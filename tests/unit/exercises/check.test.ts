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
function replaying(report: CheckReport, engine: Engine): PythonRunner & { sources: string[] } {
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
          timeline: { version: 1, endMs: 10, truncated: false, lanes: [] },
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

  it('with c-releases-gil in one interpreter: the results are judged, the timeline is not', async () => {
    const ex = make(
      ['c-releases-gil'],
      [
        { name: 'digests right', python: 'assert True' },
        {
          name: 'hashed at once',
          python: 'pass',
          timeline: { states: ['native'], expect: 'overlap', message: 'never at once' },
        },
      ],
    );
    const good: CheckReport = {
      checks: [
        { trials: [ok], pairs: null, error: null },
        { trials: [ok], pairs: null, error: null },
      ],
    };
    const blind = await runCheck(replaying(good, 'one-interpreter'), ex, 'x = 1');
    expect(blind.verdict.status).toBe('unavailable');
    expect(blind.verdict.summary).toMatch(/^Your results are right/);
    expect(blind.verdict.lines.map((l) => l.status)).toEqual(['passed', 'not-run']);
    const wrong: CheckReport = {
      checks: [
        {
          trials: [
            { ok: false, kind: 'assertion', message: 'wrong digests', startMs: 0, endMs: 1 },
          ],
          pairs: null,
          error: null,
        },
      ],
    };
    const failed = await runCheck(replaying(wrong, 'one-interpreter'), ex, 'x = 1');
    expect(failed.verdict.status).toBe('failed');
    expect(failed.verdict.summary).toContain('wrong digests');
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
