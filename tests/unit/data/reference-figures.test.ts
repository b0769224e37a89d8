/**
 * The lessons quote the project's CPython reference (src/data/cpython-reference.json) through
 * src/data/reference-figures.ts, rendered at build time, so a quoted figure cannot drift from the
 * JSON. These tests keep it so: no sentence that cites the reference types a number of its own,
 * the figures are formatted from the JSON as printed, and the words the lessons put around them
 * ("one interval", "ate the whole gain", "close to 2×") still hold for the measured values. When a
 * re-measurement breaks one of the claims below, reword the sentence named in its comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import reference from '../../../src/data/cpython-reference.json' with { type: 'json' };
import { format, ref } from '../../../src/data/reference-figures.ts';

const docsDir = fileURLToPath(new URL('../../../src/content/docs/', import.meta.url));
const r = reference.experiments;

function convoyAt(intervalMs: number, cpuThreads: number) {
  const m = r.convoy.measurements.find(
    (x) => x.switchIntervalMs === intervalMs && x.cpuThreads === cpuThreads,
  );
  if (!m) throw new Error(`no convoy measurement at ${intervalMs} ms × ${cpuThreads}`);
  return m;
}

/** Every .mdx page of the site, as [path relative to src/content/docs, text]. */
function pages(dir = docsDir, prefix = ''): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return pages(join(dir, entry.name), `${rel}/`);
    return entry.name.endsWith('.mdx') ? [[rel, readFileSync(join(dir, entry.name), 'utf8')]] : [];
  });
}

/** A sentence that quotes the reference measurement. */
const CITES_REFERENCE = /\breference (run|runs|measurement|machine)\b/i;
/** A typed number: 5, 0.34, 3,298, 3.11.7, 2-core, 1.9× (not sha256, p90 or 90th). */
const TYPED_NUMBER = /(?<![\w.])\d+(?:[.,]\d+)*(?!\w)/g;

/**
 * The page's text as sentences, each with its first line number. Prose lines are joined until a
 * blank line; a line of code or markup (a quiz's `explanation: "…"`, a table row, a component)
 * stands alone, so a quiz string is never glued to the next question.
 */
function sentences(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let unit: string[] = [];
  let unitLine = 0;
  const flush = () => {
    if (unit.length) {
      for (const sentence of unit.join(' ').split(/(?<=[.!?])\s+(?=[A-Z`*([{"'])/)) {
        out.push({ line: unitLine, text: sentence });
      }
    }
    unit = [];
  };
  const lines = text.split('\n');
  const bodyStart = lines.indexOf('---', 1) + 1; // after the frontmatter
  lines.forEach((raw, i) => {
    if (i < bodyStart) return;
    const line = raw.trim();
    // (A prose line may start with {ref.…} or a [link](…): only a lone `{` opens code.)
    const standsAlone = /^(<|\{$|[}\]|]|import |\w+: |```)/.test(line);
    if (!line || standsAlone) flush();
    if (!line) return;
    if (!unit.length) unitLine = i + 1;
    unit.push(line);
    if (standsAlone) flush();
  });
  flush();
  return out;
}

/** What is left of a sentence once its rendered figures, code and link targets are removed. */
function typedPart(sentence: string): string {
  return sentence
    .replace(/\$\{[^}]*\}/g, '') // ${ref.…} in a quiz's template string
    .replace(/\{[^}]*\}/g, '') // {ref.…} in MDX
    .replace(/`[^`]*`/g, '') // inline code
    .replace(/\]\([^)]*\)/g, ']'); // link targets
}

describe('lessons quote the CPython reference from the JSON', () => {
  it('no sentence citing the reference types a number of its own', () => {
    const typed: string[] = [];
    for (const [page, text] of pages()) {
      for (const { line, text: sentence } of sentences(text)) {
        if (!CITES_REFERENCE.test(sentence)) continue;
        const numbers = typedPart(sentence).match(TYPED_NUMBER);
        if (numbers) typed.push(`${page}:${line}: ${numbers.join(', ')} in “${sentence}”`);
      }
    }
    expect(typed).toEqual([]);
  });

  it('the guard sees a typed figure, and not a rendered one', () => {
    const page = [
      '---',
      'title: t',
      '---',
      'The reference run gave **3,298** round trips; on CPython 3.11.7.',
      'In the reference run the median was {ref.convoy.one.median} on a {ref.cores}-core machine.',
      '      explanation: "In the reference run: 5.5 ms to 41 ms.",',
      '      explanation: `In the reference run: ${ref.convoy.two.p90}.`,',
      '',
      'A sentence on the reference machine runs on',
      '{ref.countdown.runs} runs and 12 more, [linked](../x-2/).',
    ].join('\n');
    const found = sentences(page)
      .filter((s) => CITES_REFERENCE.test(s.text))
      .map((s) => typedPart(s.text).match(TYPED_NUMBER));
    expect(found).toEqual([['3,298', '3.11.7'], null, ['5.5', '41'], null, ['12']]);
  });

  it('formats each figure from the JSON as the lessons print it', () => {
    expect(format.count(2904.5)).toBe('2,905');
    expect(format.ms(0.3437)).toBe('0.34 ms');
    expect(format.ms(26.169)).toBe('26.2 ms');
    expect(format.costMs(0.102)).toBe('0.10 ms');
    expect(format.costMs(121.3136)).toBe('121 ms');
    expect(format.size(6_000_000)).toBe('6 million');
    expect(format.size(1_500_000)).toBe('1,500,000');

    const one = convoyAt(5, 1);
    expect(ref.python).toBe(reference.python.version);
    expect(ref.convoy.one.rate).toBe(Math.round(one.roundTripsPerSecond).toLocaleString('en-US'));
    expect(ref.convoy.two.p90).toBe(format.ms(convoyAt(5, 2).p90LatencyMs));
    expect(ref.countdown.n).toBe(format.size(r.countdown.n));
    expect(ref.countdown.threads2).toBe(`${r.countdown.threads2.medianS.toFixed(2)} s`);
    expect(ref.race.lostMedian).toBe(
      `${Math.round(r.race.variants.callBetween.medianLostShare * 100)} %`,
    );
    expect(ref.native.sha256Speedup).toBe(`${r.native.sha256.speedup.toFixed(1)}×`);
  });
});

describe('the words around the quoted figures still hold', () => {
  const one5 = convoyAt(5, 1);
  const two5 = convoyAt(5, 2);
  const intervals = (ms: number) => ms / 5;

  it('inside-the-gil: the convoy with one CPU thread costs one interval, sometimes two', () => {
    // "the median latency at 5 ms was …, one interval"; "its 90th percentile two: at least one
    // round trip in ten waited twice"
    expect(Math.round(intervals(one5.medianLatencyMs))).toBe(1);
    expect(Math.round(intervals(one5.p90LatencyMs))).toBe(2);
  });

  it('inside-the-gil: two CPU threads make the wait longer and more uneven', () => {
    // "sometimes loses several rounds in a row"; "waited about five intervals one time in ten"
    expect(two5.medianLatencyMs).toBeGreaterThan(one5.medianLatencyMs);
    expect(two5.p90LatencyMs / two5.medianLatencyMs).toBeGreaterThan(
      one5.p90LatencyMs / one5.medianLatencyMs,
    );
    expect(Math.round(intervals(two5.p90LatencyMs))).toBe(5);
  });

  it('inside-the-gil: a shorter interval raises the I/O rate and costs the CPU thread', () => {
    // "the waits shrink, the I/O rate climbs"; "The shorter interval is not free"
    const [at5, at1, at01] = [convoyAt(5, 1), convoyAt(1, 1), convoyAt(0.1, 1)];
    expect(at5.roundTripsPerSecond).toBeLessThan(at1.roundTripsPerSecond);
    expect(at1.roundTripsPerSecond).toBeLessThan(at01.roundTripsPerSecond);
    expect(at01.cpuLoopsPerSecond).toBeLessThan(at5.cpuLoopsPerSecond);
  });

  it('what-is-the-gil: two threads take about the sequential time, nowhere near half', () => {
    // "the threads did not come close" (to halving it); quiz: "about the same time, a little more
    // or less … nowhere near half"; inside-the-gil: "about the sequential time …, not twice as long"
    const { threads2, sequentialTwice } = r.countdown;
    const rounds = threads2.runsS.map((t, i) => t / sequentialTwice.runsS[i]!);
    expect(Math.min(...rounds)).toBeGreaterThan(0.7);
    expect(threads2.ratioVsSequential).toBeGreaterThan(0.8);
    expect(threads2.ratioVsSequential).toBeLessThan(1.25);
  });

  it('threads-vs-processes: fork processes win, spawn start-up eats the gain', () => {
    // "… in two forked processes (1.85× faster)"; "… with spawn, whose start-up (below) ate the
    // whole gain"; reference.ts: "in two processes with fork …, about the time of one countdown"
    const { processes2, once } = r.countdown;
    expect(1 / processes2.fork.ratioVsSequential).toBeGreaterThan(1.5);
    expect(processes2.spawn.ratioVsSequential).toBeGreaterThan(0.95);
    expect(processes2.fork.medianS / once.medianS).toBeGreaterThan(0.8);
    expect(processes2.fork.medianS / once.medianS).toBeLessThan(1.25);
  });

  it('threads-vs-processes: start-up and copying costs are in the order the lesson gives', () => {
    // thread < fork < forkserver < spawn; "a graph of many small objects costs 3 to 10 times
    // more per megabyte (a list of ints … as much there)"
    const { thread, process } = r.startup;
    expect(thread.medianMs).toBeLessThan(process.fork.medianMs);
    expect(process.fork.medianMs).toBeLessThan(process.forkserver.medianMs);
    expect(process.forkserver.medianMs).toBeLessThan(process.spawn.medianMs);
    expect(r.copy.listOfInts.ratioVsBytes).toBeGreaterThanOrEqual(3);
    expect(r.copy.listOfInts.ratioVsBytes).toBeLessThanOrEqual(10);
  });

  it('escaping-the-gil: C code that releases the GIL comes close to the cores', () => {
    // "… faster: close to the 2× that the reference machine's cores allow"
    const cores = reference.machine.cores;
    expect(r.native.sha256.speedup).toBeGreaterThan(0.85 * cores);
    expect(r.native.zlib.speedup).toBeGreaterThan(0.85 * cores);
  });
});
