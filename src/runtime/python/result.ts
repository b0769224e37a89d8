/** What a finished Python run reports, computed with the experiments' own statistics. */
import { lockBase } from '../core/control.ts';
import { readLock } from '../core/gil.ts';
import { concurrentMs, inEventOrder, lockHeldShare } from '../core/stats.ts';
import type { TimelineSnapshot } from '../core/timeline.ts';
import type { PythonSession } from './session.ts';
import type { ThreadMode } from '../core/mode.ts';
import type { PythonError, PythonOutcome } from './protocol.ts';
import type { SnapshotUse } from './pyodide-loader.ts';

/** The outcome of `runner.run(…).result`. */
export interface PythonRunResult {
  /** True if the main program finished without an uncaught exception (and was not stopped). */
  ok: boolean;
  /** True if the reader pressed Stop (error is then a KeyboardInterrupt). */
  stopped: boolean;
  /** The main program's uncaught exception, with Python's traceback text. */
  error: PythonError | null;
  mode: ThreadMode;
  /**
   * How the program's threads ran: 'one-interpreter' (GIL mode with JSPI: every thread a call
   * stack of one interpreter, sharing every object) or 'interpreter-per-thread' (free-threaded
   * mode, or no JSPI: each thread its own interpreter, sharing no objects).
   */
  engine: 'one-interpreter' | 'interpreter-per-thread';
  /** From the start of the main program until its last thread or task ended, ms. */
  wallMs: number;
  /** Interpreters the run used (the main one included). */
  interpreters: number;
  /** Per lane: boot time if that interpreter was started for this run, 0 if it was warm, ms. */
  startupMs: number[];
  /**
   * How the main interpreter had started, for this run or before it (pyodide-loader.ts):
   * 'snapshot' (from the booted interpreter's memory), 'none' (no snapshot asked for) or
   * 'fallback: why' (booted the long way).
   */
  startedFrom?: SnapshotUse;
  /**
   * Interpreters the program asked for (a pool growing) that were still starting when its work
   * was done, so they never joined and have no lane on the timeline (0 in the one-interpreter
   * engine, whose threads need none).
   */
  stillStarting?: number;
  /** The recorded timeline (draw it with the experiments' canvas). */
  timeline: TimelineSnapshot;
  /** Time at least two interpreters computed at once (running or in a C call), ms. */
  overlapMs: number;
  /** GIL hand-overs between interpreters (all GILs of the run). */
  switches: number;
  /** Share of wallMs a GIL was held, averaged over GILs (core/stats.ts `lockHeldShare`). */
  lockHeldShare: number | null;
}

/** Builds the result once the session has finished. */
export function pythonResult(
  session: PythonSession,
  outcome: PythonOutcome,
  wallMs: number,
  mode: ThreadMode,
): PythonRunResult {
  const timeline = session.reader.snapshot();
  const ordered = inEventOrder(timeline);
  const spaces = new Set(session.lanes.map((l) => l.space));
  let switches = 0;
  for (const s of spaces) switches += readLock(session.memory.control, lockBase(s)).switches;
  const stopped = session.stopped && !session.quiet;
  return {
    ok: outcome.ok && !stopped,
    stopped,
    error: outcome.error ?? (stopped ? stopError() : null),
    mode,
    engine: 'interpreter-per-thread',
    wallMs,
    interpreters: session.lanes.length,
    startupMs: session.lanes.map((l) => l.startupMs),
    ...(session.lanes[0]?.worker.boot
      ? { startedFrom: session.lanes[0].worker.boot.snapshot }
      : {}),
    stillStarting: session.stillStarting,
    timeline,
    overlapMs: concurrentMs(ordered, ['running', 'native'], 2),
    switches: mode === 'gil' ? switches : 0,
    lockHeldShare: lockHeldShare(timeline, wallMs),
  };
}

function stopError(): PythonError {
  return { type: 'KeyboardInterrupt', message: 'Stopped', traceback: 'KeyboardInterrupt\n' };
}
