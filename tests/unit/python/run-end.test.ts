/** The words a runnable block says when a run ends by itself: CPython's exit, plainly. */
import { describe, expect, it } from 'vitest';
import {
  endOfRun,
  exitStatus,
  runSummary,
  sentence,
} from '../../../src/components/python/run-end.ts';

const error = (type: string, message: string) => ({
  wallMs: 12,
  error: { type, message, traceback: `${type}: ${message}\n` },
});

describe('the end of a run', () => {
  it('finished: the time and what ran', () => {
    expect(endOfRun({ wallMs: 12, error: null }, '1 thread', '; 2 lines of output')).toEqual({
      state: 'done',
      message: 'Finished in 12 ms: 1 thread; 2 lines of output.',
    });
  });

  it('sys.exit(3): exit status 3, not an error and no traceback (as python3 file.py)', () => {
    const end = endOfRun(error('SystemExit', '3'), '1 thread', '');
    expect(end.state).toBe('done');
    expect(end.message).toBe('Exited with status 3 (sys.exit) after 12 ms: 1 thread.');
    expect(end.message).not.toMatch(/raised|traceback/i);
  });

  it('sys.exit("message"): status 1, the message went to stderr', () => {
    expect(exitStatus('bad input')).toBe(1);
    expect(exitStatus('True')).toBe(1);
    expect(exitStatus('-2')).toBe(-2);
    expect(endOfRun(error('SystemExit', 'bad input'), 'x', '').message).toMatch(
      /^Exited with status 1 \(sys.exit with a message, printed to stderr\)/,
    );
  });

  it('an ended interpreter: its own sentence, one full stop, no traceback promised', () => {
    const message =
      'The program ended its Python interpreter (os._exit or a fatal error: exit(1)). The next run gets a fresh one.';
    const end = endOfRun(error('InterpreterExited', message), 'x', '; 1 line of output');
    expect(end).toEqual({
      state: 'error',
      message: `${message} It wrote 1 line of output.`,
    });
    expect(end.message).not.toContain('..');
  });

  it('a deadlock: said as one, not as an exception no Python has', () => {
    const end = endOfRun(error('Deadlock', 'every thread is waiting: deadlock'), '3 threads', '');
    expect(end.state).toBe('error');
    expect(end.message).toMatch(/^The program deadlocked after 12 ms: every thread is waiting/);
    expect(end.message).toContain('CPython would hang here for ever');
    expect(end.message).not.toMatch(/raised|Deadlock:/);
  });

  it('an exception: its type and message, one full stop', () => {
    expect(endOfRun(error('ZeroDivisionError', 'division by zero'), 'x', '').message).toBe(
      'The program raised ZeroDivisionError: division by zero. The traceback is in the output.',
    );
    expect(endOfRun(error('ValueError', 'ends with a stop.'), 'x', '').message).not.toContain('..');
    expect(endOfRun(error('ValueError', ''), 'x', '').message).toMatch(
      /^The program raised ValueError\. /,
    );
    expect(sentence('fresh one.')).toBe('fresh one.');
  });
});

describe('what ran', () => {
  const perThread = {
    engine: 'interpreter-per-thread' as const,
    timeline: { lanes: [] } as never,
    interpreters: 2,
    mode: 'gil' as const,
    lockHeldShare: 0.5,
    switches: 3,
    overlapMs: 0,
  };

  it('one interpreter per thread under the GIL: the true reason, processes or the browser', () => {
    // Chromium has stack switching: a program with a process pool ran this way for its processes.
    const pool = 'from concurrent.futures import ProcessPoolExecutor\n';
    expect(runSummary(perThread, pool)).toContain('the program starts processes');
    expect(runSummary(perThread, pool)).not.toContain('no WebAssembly stack switching');
    expect(runSummary(perThread, 'import threading\n')).toContain(
      'no WebAssembly stack switching in this browser',
    );
  });

  it('one interpreter: its threads, and its processes apart', () => {
    const lanes = [
      { lane: 0, label: 'MainThread', kind: 'thread', lock: 0 },
      { lane: 1, label: 'Thread-1', kind: 'thread', lock: 0 },
      { lane: 32, label: 'Process-1', kind: 'process', lock: 1 },
      { lane: 33, label: 'Process-2', kind: 'process', lock: 2 },
    ];
    const green = { ...perThread, engine: 'one-interpreter' as const };
    expect(runSummary({ ...green, timeline: { lanes } as never }, '')).toMatch(
      /^2 threads in one interpreter and 2 processes, each an interpreter of its own, /,
    );
    expect(runSummary({ ...green, timeline: { lanes: lanes.slice(0, 1) } as never }, '')).toMatch(
      /^1 thread in one interpreter, /,
    );
  });
});
