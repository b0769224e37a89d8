import { describe, expect, it } from 'vitest';
import { newReportToken, parseReport, ReportCatcher } from '../../../src/exercises/index.ts';

const report = {
  checks: [{ trials: [{ ok: true, startMs: 1, endMs: 2 }], pairs: null, error: null }],
};

describe('ReportCatcher', () => {
  it('takes the report out of the output and parses it', () => {
    const token = newReportToken();
    const c = new ReportCatcher(token);
    const shown = c.feed(`hello\n\n${token}${JSON.stringify(report)}\n`);
    expect(shown).toBe('hello\n');
    expect(c.complete).toBe(true);
    expect(c.report).toEqual(report);
  });

  it('finds a token split across chunks, and shows nothing after it', () => {
    const token = newReportToken();
    const c = new ReportCatcher(token);
    const text = `out\n${token}${JSON.stringify(report)}\n`;
    let shown = '';
    for (let i = 0; i < text.length; i += 7) shown += c.feed(text.slice(i, i + 7));
    shown += c.flush();
    // The harness's newline before the token may already be shown: a blank line at most.
    expect(shown.replace(/\n$/, '')).toBe('out');
    expect(c.report).toEqual(report);
  });

  it('gives back text that only looked like the start of the token', () => {
    const token = newReportToken();
    const c = new ReportCatcher(token);
    const lookalike = token.slice(0, 5);
    expect(c.feed(`a${lookalike}`) + c.feed('b') + c.flush()).toBe(`a${lookalike}b`);
    expect(c.report).toBeNull();
  });

  it('is not fooled by a printed report with another token (printing cannot pass)', () => {
    const c = new ReportCatcher(newReportToken());
    const forged = `${newReportToken()}${JSON.stringify(report)}\n`;
    expect(c.feed(forged)).toBe(forged);
    expect(c.report).toBeNull();
  });

  it('tokens are unguessable: a fresh one each time', () => {
    expect(newReportToken()).not.toBe(newReportToken());
  });
});

describe('parseReport', () => {
  it('rejects what is not a report', () => {
    expect(parseReport('not json')).toBeNull();
    expect(parseReport('{"checks": [{"trials": [{"ok": "yes"}]}]}')).toBeNull();
    expect(parseReport('[]')).toBeNull();
  });

  it("keeps Run Python's clock pair, and refuses a malformed one", () => {
    const clock = { perfMs: 1500.5, epochMs: 1_790_000_000_000 };
    expect(parseReport(JSON.stringify({ checks: [], clock }))).toEqual({ checks: [], clock });
    expect(parseReport('{"checks": [], "clock": {"perfMs": "1"}}')).toBeNull();
    expect(parseReport('{"checks": []}')).toEqual({ checks: [] });
  });
});
