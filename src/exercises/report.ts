/**
 * The harness's report: found in the main program's stdout after the run's random token, taken
 * out of what the reader sees, and checked field by field (a page should not ship zod for it).
 */

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
  /** Timed (baseline, candidate) pairs of a speed-up check; null when it has none or did not get there. */
  pairs: { baselineMs: number; runMs: number }[] | null;
  /** The baseline or candidate raised while being timed. */
  error: TrialOutcome | null;
}

/** The whole report: one entry per check that ran (the harness stops after a failing one). */
export interface CheckReport {
  checks: CheckResult[];
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

function isPair(v: unknown): v is { baselineMs: number; runMs: number } {
  return isRecord(v) && isNumber(v['baselineMs']) && isNumber(v['runMs']);
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
  const clock = value['clock'];
  if (clock === undefined) return { checks: value['checks'] };
  if (!isRecord(clock) || !isNumber(clock['perfMs']) || !isNumber(clock['epochMs'])) return null;
  return { checks: value['checks'], clock: { perfMs: clock['perfMs'], epochMs: clock['epochMs'] } };
}

/**
 * Watches the main program's stdout for the report. `feed()` returns the text to show the reader
 * (everything but the report: from the token on, the main program's stdout is the harness's).
 */
export class ReportCatcher {
  readonly #token: string;
  #held = '';
  #after: string | null = null;

  constructor(token: string) {
    this.#token = token;
  }

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
    const rest = this.#after === null ? this.#held : '';
    this.#held = '';
    return rest;
  }
}
