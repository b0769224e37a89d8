/**
 * The harness's report: the main program's first output line announces the run's random token
 * (OPEN_MARK, then 32 hex digits); the report is the line after REPORT_MARK and that token. Both
 * are taken out of what the reader sees, and the report is checked field by field (a page should
 * not ship zod for it).
 */

/** The first line of a check's output: the harness's token for this run follows it. */
export const OPEN_MARK = '\u0000GILLAB-CHECK-OPEN:';
/** Marks the report line: then the token, a colon and the report's JSON. */
export const REPORT_MARK = '\u0000GILLAB-CHECK-REPORT:';

/** One trial of one check, as the harness measured it. */
export interface TrialOutcome {
  ok: boolean;
  kind?: 'assertion' | 'exception';
  /** The assertion's message, or "TypeError: …" for an exception. */
  message?: string;
  /** The exception's traceback (the reader's frames only). */
  traceback?: string;
  /** time.perf_counter() at the trial's start and end, ms (placed on the timeline with CheckReport.clock). */
  startMs: number;
  endMs: number;
}

/** One check's results. */
export interface CheckResult {
  trials: TrialOutcome[];
  /**
   * Timed (baseline, candidate) pairs of a speed-up check, with the check's own version
   * (`referenceMs`) when it has one; null when it has none or did not get there.
   */
  pairs: { baselineMs: number; runMs: number; referenceMs?: number }[] | null;
  /** The baseline or candidate raised while being timed. */
  error: TrialOutcome | null;
}

/** The reader's code raised before the checks could run: what CPython would print. */
export interface ProgramError {
  type: string;
  message: string;
  traceback: string;
}

/** The whole report: one entry per check that ran (the harness stops after a failing one). */
export interface CheckReport {
  checks: CheckResult[];
  /** The reader's code itself raised (then `checks` is empty). */
  program?: ProgramError;
  /**
   * Run Python only: perf_counter() (ms) and the page's absolute clock (ms since 1970, as
   * `performance.timeOrigin + performance.now()`) read together, to put trials on the timeline.
   */
  clock?: { perfMs: number; epochMs: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';

function isTrial(v: unknown): v is TrialOutcome {
  return (
    isRecord(v) &&
    typeof v['ok'] === 'boolean' &&
    isNumber(v['startMs']) &&
    isNumber(v['endMs']) &&
    optString(v['message']) &&
    optString(v['traceback']) &&
    (v['kind'] === undefined || v['kind'] === 'assertion' || v['kind'] === 'exception')
  );
}

function isPair(v: unknown): v is { baselineMs: number; runMs: number; referenceMs?: number } {
  return (
    isRecord(v) &&
    isNumber(v['baselineMs']) &&
    isNumber(v['runMs']) &&
    (v['referenceMs'] === undefined || isNumber(v['referenceMs']))
  );
}

function isCheckResult(v: unknown): v is CheckResult {
  return (
    isRecord(v) &&
    Array.isArray(v['trials']) &&
    v['trials'].every(isTrial) &&
    (v['pairs'] === null || (Array.isArray(v['pairs']) && v['pairs'].every(isPair))) &&
    (v['error'] === null || isTrial(v['error']))
  );
}

function isProgramError(v: unknown): v is ProgramError {
  return (
    isRecord(v) &&
    typeof v['type'] === 'string' &&
    typeof v['message'] === 'string' &&
    typeof v['traceback'] === 'string'
  );
}

/** Parses the JSON after the token; null if it is not a report. */
export function parseReport(json: string): CheckReport | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isRecord(value) || !Array.isArray(value['checks'])) return null;
  if (!value['checks'].every(isCheckResult)) return null;
  const report: CheckReport = { checks: value['checks'] };
  const program = value['program'];
  if (program !== undefined) {
    if (!isProgramError(program)) return null;
    report.program = {
      type: program.type,
      message: program.message,
      traceback: program.traceback,
    };
  }
  const clock = value['clock'];
  if (clock === undefined) return report;
  if (!isRecord(clock) || !isNumber(clock['perfMs']) || !isNumber(clock['epochMs'])) return null;
  report.clock = { perfMs: clock['perfMs'], epochMs: clock['epochMs'] };
  return report;
}

/** The opening line's shape: the mark and the token's 32 hex digits. */
const OPENING = new RegExp(`^${OPEN_MARK}([0-9a-f]{32})$`);

/**
 * Watches the main program's stdout for the harness's opening line and its report. `feed()`
 * returns the text to show the reader: everything but those two lines (from the report on, the
 * main program's stdout is the harness's). The opening line must be the very first output: the
 * harness writes it before the reader's code runs, so a program cannot announce a token of its
 * own; output that starts any other way is shown as it is and never yields a report.
 */
export class ReportCatcher {
  #token: string | null = null;
  /** The first line while it arrives; null once it has been judged. */
  #opening: string | null = '';
  #held = '';
  #after: string | null = null;

  /** The report once its whole line has arrived (null before, or if it was not valid). */
  get report(): CheckReport | null {
    const end = this.#after?.indexOf('\n') ?? -1;
    return end < 0 ? null : parseReport(this.#after!.slice(0, end));
  }

  /** True once the report's line is complete. */
  get complete(): boolean {
    return (this.#after?.indexOf('\n') ?? -1) >= 0;
  }

  feed(text: string): string {
    if (this.#opening !== null) {
      const first = this.#opening + text;
      const end = first.indexOf('\n');
      if (end < 0) {
        // Still arriving: hold it while it can be the opening line, else it is the program's.
        if (OPEN_MARK.startsWith(first) || (first.startsWith(OPEN_MARK) && first.length < 80)) {
          this.#opening = first;
          return '';
        }
        this.#opening = null;
        return first;
      }
      this.#opening = null;
      const token = OPENING.exec(first.slice(0, end))?.[1];
      if (token === undefined) return first;
      this.#token = `${REPORT_MARK}${token}:`;
      return this.feed(first.slice(end + 1));
    }
    if (this.#token === null) return text;
    if (this.#after !== null) {
      // Only the report's own line is kept: a hostile program cannot make it grow for ever.
      if (!this.complete) this.#after = (this.#after + text).slice(0, 1 << 20);
      return '';
    }
    const all = this.#held + text;
    this.#held = '';
    const at = all.indexOf(this.#token);
    if (at >= 0) {
      this.#after = '';
      const shown = all.slice(0, at).replace(/\n$/, '');
      this.feed(all.slice(at + this.#token.length));
      return shown;
    }
    // Hold back a tail that could be the start of the token split across two chunks.
    for (let k = Math.min(this.#token.length - 1, all.length); k > 0; k--) {
      if (this.#token.startsWith(all.slice(all.length - k))) {
        this.#held = all.slice(all.length - k);
        return all.slice(0, all.length - k);
      }
    }
    return all;
  }

  /** What is still held back when the run ends (a program's own text that looked like a start). */
  flush(): string {
    let rest = '';
    if (this.#opening !== null) rest = this.#opening;
    else if (this.#after === null) rest = this.#held;
    this.#opening = null;
    this.#held = '';
    return rest;
  }
}
