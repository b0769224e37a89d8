import { describe, expect, it } from 'vitest';
import {
  OPEN_MARK,
  parseReport,
  REPORT_MARK,
  ReportCatcher,
} from '../../../src/exercises/index.ts';

const report = {
  checks: [{ trials: [{ ok: true, startMs: 1, endMs: 2 }], pairs: null, error: null }],
};

const HEX = '0123456789abcdef'.repeat(2);
const opening = `${OPEN_MARK}${HEX}\n`;
const reportLine = (hex = HEX) => `\n${REPORT_MARK}${hex}:${JSON.stringify(report)}\n`;

describe('ReportCatcher', () => {
  it('learns the token from the first line, takes the report out of the output and parses it', () => {
    const c = new ReportCatcher();
    const shown = c.feed(`${opening}hello\n${reportLine()}`);
    expect(shown).toBe('hello\n');
    expect(c.complete).toBe(true);
    expect(c.report).toEqual(report);
  });

  it('finds the opening line and the token split across chunks, and shows nothing after it', () => {
    const c = new ReportCatcher();
    const text = `${opening}out\n${reportLine()}`;
    let shown = '';
    for (let i = 0; i < text.length; i += 7) shown += c.feed(text.slice(i, i + 7));
    shown += c.flush();
    // The harness's newline before the token may already be shown: a blank line at most.
    expect(shown.replace(/\n\n$/, '\n')).toBe('out\n');
    expect(c.report).toEqual(report);
  });

  it('gives back text that only looked like the start of the token', () => {
    const c = new ReportCatcher();
    const lookalike = `${REPORT_MARK}${HEX}`.slice(0, 5);
    expect(c.feed(opening) + c.feed(`a${lookalike}`) + c.feed('b') + c.flush()).toBe(
      `a${lookalike}b`,
    );
    expect(c.report).toBeNull();
  });

  it('a report under another token, or output that does not open with the harness’s line, is shown and never a report', () => {
    const other = new ReportCatcher();
    const forged = reportLine('f'.repeat(32));
    expect(other.feed(opening + forged)).toBe(forged);
    expect(other.report).toBeNull();
    // A program cannot announce a token of its own: the harness's line comes first or not at all.
    const late = new ReportCatcher();
    const text = `hello\n${opening}${reportLine()}`;
    expect(late.feed(text) + late.flush()).toBe(text);
    expect(late.report).toBeNull();
    const partial = new ReportCatcher();
    expect(partial.feed(OPEN_MARK.slice(0, 4)) + partial.flush()).toBe(OPEN_MARK.slice(0, 4));
  });
});

describe('parseReport', () => {
  it('rejects what is not a report', () => {
    expect(parseReport('not json')).toBeNull();
    expect(parseReport('{"checks": [{"trials": [{"ok": "yes"}]}]}')).toBeNull();
    expect(parseReport('[]')).toBeNull();
  });

  it('keeps the program’s own error, and refuses a malformed one', () => {
    const program = { type: 'NameError', message: "name 'x'", traceback: 'Traceback…' };
    expect(parseReport(JSON.stringify({ checks: [], program }))).toEqual({ checks: [], program });
    expect(parseReport('{"checks": [], "program": {"type": 1}}')).toBeNull();
  });

  it("keeps Run Python's clock pair, and refuses a malformed one", () => {
    const clock = { perfMs: 1500.5, epochMs: 1_790_000_000_000 };
    expect(parseReport(JSON.stringify({ checks: [], clock }))).toEqual({ checks: [], clock });
    expect(parseReport('{"checks": [], "clock": {"perfMs": "1"}}')).toBeNull();
    expect(parseReport('{"checks": []}')).toEqual({ checks: [] });
  });
});
