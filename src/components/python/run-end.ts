/**
 * What a runnable block says when a run ended by itself (not by Stop): finished, exited through
 * sys.exit with a status, raised, or ended its interpreter. Pure, so the words are unit-tested.
 */
import { startsProcesses } from '../../runtime/index.ts';
import type { PythonRunResult } from '../../runtime/python/index.ts';
import { ms } from '../shared/format.ts';

/**
 * What ran, for the status line: threads of one interpreter (and its processes, each an
 * interpreter of its own), or interpreters (and, under the GIL, why each thread had its own: the
 * program starts processes, or the browser has no WebAssembly stack switching).
 */
export function runSummary(
  r: Pick<
    PythonRunResult,
    'engine' | 'timeline' | 'interpreters' | 'mode' | 'lockHeldShare' | 'switches' | 'overlapMs'
  >,
  source: string,
): string {
  const why = startsProcesses(source)
    ? 'the program starts processes, so each thread is an interpreter of its own: threads share no objects'
    : 'no WebAssembly stack switching in this browser: threads share no objects';
  const threads = r.timeline.lanes.filter((l) => l.kind !== 'process').length;
  const processes = r.timeline.lanes.length - threads;
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 'es'}`;
  const parts = [
    r.engine === 'one-interpreter'
      ? `${threads} thread${threads === 1 ? '' : 's'} in one interpreter${
          processes > 0
            ? ` and ${plural(processes, 'process')}, each an interpreter of its own`
            : ''
        }`
      : `${r.interpreters} interpreter${r.interpreters === 1 ? '' : 's'}${
          r.mode === 'gil' && r.interpreters > 1 ? ` (${why})` : ''
        }`,
  ];
  if (r.lockHeldShare !== null)
    parts.push(
      `GIL held ${Math.round(r.lockHeldShare * 100)} % of the time`,
      `${r.switches} switches`,
    );
  else parts.push('no GIL (free-threaded)');
  if (r.interpreters > 1) parts.push(`${ms(r.overlapMs)} truly in parallel`);
  return parts.join(', ');
}

/** `text` as a sentence: one closing full stop, whether or not the text brought its own. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/**
 * The exit status of a program that raised SystemExit whose str() is `message`: an integer code is
 * the status; any other object is printed to stderr and gives status 1 (Python docs, sys.exit).
 * `None` and 0 never get here: those runs succeed.
 */
export function exitStatus(message: string): number {
  const code = message.trim();
  return /^-?\d+$/.test(code) ? Number(code) : 1;
}

/**
 * The status line and data-state after a run that was not stopped. `summary`: what ran (threads,
 * GIL share…); `output`: "; 12 lines of output" or ''.
 */
export function endOfRun(
  result: Pick<PythonRunResult, 'error' | 'wallMs'>,
  summary: string,
  output: string,
): { state: 'done' | 'error'; message: string } {
  const { error } = result;
  if (error === null) {
    return { state: 'done', message: `Finished in ${ms(result.wallMs)}: ${summary}${output}.` };
  }
  if (error.type === 'SystemExit') {
    // As `python3 file.py` ends: a status, no traceback (a message goes to stderr first).
    const status = exitStatus(error.message);
    const how = /^-?\d+$/.test(error.message.trim())
      ? 'sys.exit'
      : 'sys.exit with a message, printed to stderr';
    return {
      state: 'done',
      message: `Exited with status ${status} (${how}) after ${ms(result.wallMs)}: ${summary}${output}.`,
    };
  }
  if (error.type === 'InterpreterExited') {
    // os._exit or a fatal error: the message says what happened; there is no traceback.
    const wrote = output ? ` It wrote ${output.slice(2)}.` : '';
    return { state: 'error', message: `${sentence(error.message)}${wrote}` };
  }
  if (error.type === 'Deadlock') {
    // Not an exception a Python program can raise: CPython would hang here for ever. The model
    // notices that nothing can wake any thread and ends the run; the output says where each waits.
    return {
      state: 'error',
      message: `The program deadlocked after ${ms(result.wallMs)}: every thread is waiting for another and nothing can wake one (CPython would hang here for ever). Where each thread waits is in the output${output}.`,
    };
  }
  const raised = error.message.trim() ? `${error.type}: ${error.message}` : error.type;
  return {
    state: 'error',
    message: `The program raised ${sentence(raised)} The traceback is in the output${output}.`,
  };
}
