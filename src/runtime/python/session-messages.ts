/** The texts a session reports on its own behalf (not Python's). */
import { lostMessage } from './interpreter-reset.ts';
import type { PythonOutcome } from './protocol.ts';

/** The program's outcome when `thread`'s interpreter ended it (os._exit, a fatal error: `cause`). */
export function endedOutcome(cause: string, thread: string): PythonOutcome {
  const type = 'InterpreterExited';
  const message = lostMessage(cause, thread);
  return { ok: false, error: { type, message, traceback: `${type}: ${message}\n` } };
}

/** What to report when a worker died or was terminated mid-call. */
export function lostOutcome(stopped: boolean, e: unknown): PythonOutcome {
  const message = stopped ? 'Stopped' : e instanceof Error ? e.message : String(e);
  const type = stopped ? 'KeyboardInterrupt' : 'WorkerCrashed';
  return { ok: false, error: { type, message, traceback: `${type}: ${message}\n` } };
}

export function limitMessage(max: number): string {
  return `GIL Lab runs at most ${max} interpreters at once (the main program and ${max - 1} threads or processes); this program needs more. Use fewer threads, or a pool with fewer max_workers.`;
}

export function limitText(max: number): Uint8Array {
  return new TextEncoder().encode(limitMessage(max));
}
