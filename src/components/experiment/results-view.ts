import {
  toSegments,
  type Comparison,
  type RunResult,
  type TimelineSnapshot,
} from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment';
import { speedupWords, times } from './verdict-words';

/** Renders a finished run's numbers, its per-thread table and the comparison of runs. */

/** One row of "Your runs". */
export interface RunRow {
  /** The settings that actually ran (a plan's `effective` settings). */
  settings: ExperimentSettings;
  result: RunResult;
  /** The run's comparison with its plain loop, when it had one. */
  comparison?: Comparison | null;
}

/** Creates an element with text; children are appended in order. */
function h(tag: string, text?: string | null, ...children: Node[]): HTMLElement {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  el.append(...children);
  return el;
}

export const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;
export { times };

/** Times each lane took a GIL after waiting for it. */
function acquisitions(snapshot: TimelineSnapshot): number[] {
  return snapshot.lanes.map((lane) => {
    const segs = toSegments(lane.events, snapshot.endMs);
    return segs.filter((s, i) => s.state === 'running' && segs[i - 1]?.state === 'waiting').length;
  });
}

/** Median wait for the GIL right after a blocking call, on lanes that did I/O (the convoy). */
export function ioReacquireMs(snapshot: TimelineSnapshot): number | null {
  const waits: number[] = [];
  for (const lane of snapshot.lanes) {
    const segs = toSegments(lane.events, snapshot.endMs);
    segs.forEach((s, i) => {
      if (s.state === 'waiting' && segs[i - 1]?.state === 'io') waits.push(s.end - s.start);
    });
  }
  if (waits.length === 0) return null;
  waits.sort((a, b) => a - b);
  return waits[Math.floor(waits.length / 2)] ?? null;
}

/** Blocking calls per second on the lanes that did I/O, over the span they were doing it. */
export function ioCallsPerSecond(snapshot: TimelineSnapshot): number | null {
  let calls = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const lane of snapshot.lanes) {
    for (const s of toSegments(lane.events, snapshot.endMs)) {
      if (s.state !== 'io') continue;
      calls++;
      first = Math.min(first, s.start);
      last = Math.max(last, s.end);
    }
  }
  return calls > 1 && last > first ? (calls / (last - first)) * 1000 : null;
}

/** A description list of the run's figures; modelled costs are labelled as such. */
export function resultsList(
  result: RunResult,
  settings: ExperimentSettings,
  comparison: Comparison | null = null,
): HTMLElement {
  const dl = h('dl', null);
  const item = (term: string, value: string) => dl.append(h('dt', term), h('dd', value));
  item('Wall time', ms(result.wallMs));
  if (comparison) item('Speed-up', speedupWords(comparison));
  else if (result.speedup !== null) {
    item('Speed-up', `${times(result.speedup)} the speed of a plain loop`);
  }
  item(
    'GIL held',
    result.lockHeldShare === null
      ? 'no GIL (free-threaded)'
      : `${pct(result.lockHeldShare)} of the time`,
  );
  if (result.lockHeldShare !== null) {
    const handoff = result.handoff ? `, hand-off median ${result.handoff.p50Us.toFixed(0)} µs` : '';
    item('GIL switches', `${result.switches}${handoff}`);
  }
  item('Truly in parallel', `${ms(result.overlapMs)} with two or more threads computing at once`);
  if (result.race) {
    const lost = result.race.expected ? result.race.lost / result.race.expected : 0;
    item(
      'Counter',
      `expected ${result.race.expected.toLocaleString()}, got ${result.race.actual.toLocaleString()}: ${result.race.lost.toLocaleString()} updates lost (${pct(lost)})`,
    );
  }
  const convoy = settings.workload === 'mixed' ? ioReacquireMs(result.timeline) : null;
  const rate = settings.workload === 'mixed' ? ioCallsPerSecond(result.timeline) : null;
  if (convoy !== null && rate !== null) {
    item(
      'I/O thread',
      `${Math.round(rate).toLocaleString()} round trips per second; after each call it waited a median ${ms(convoy)} to get the GIL back`,
    );
  }
  if (result.startup.measuredMs.length > 0) {
    const avg =
      result.startup.measuredMs.reduce((a, b) => a + b, 0) / result.startup.measuredMs.length;
    item('Process start-up (measured)', `${ms(avg)} per worker, included in the wall time`);
  }
  if (result.startup.modelled) {
    const m = result.startup.modelled;
    item(
      `Start method ${m.method} (modelled)`,
      `+${ms(m.perProcessMs)} per process added, as CPython measured it: ${m.source}`,
    );
  }
  if (result.copy.method === 'structured-clone') {
    item(
      'Copying (measured)',
      `${(result.copy.bytes / 1024).toFixed(0)} KiB of arguments; sending ${ms(result.copy.argsMs)}, results back ${ms(result.copy.resultsMs)} in total`,
    );
  }
  return dl;
}

/** A table with a header row of column titles; rows are added to the returned body. */
function tableWithHeader(titles: string[]): { table: HTMLElement; body: HTMLElement } {
  const head = h('tr', null);
  for (const title of titles) {
    const th = h('th', title);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  const body = h('tbody', null);
  return { table: h('table', null, h('thead', null, head), body), body };
}

/** The timeline's text alternative: per-thread time in each state and GIL acquisitions. */
export function timelineTable(snapshot: TimelineSnapshot): HTMLElement {
  const { table, body } = tableWithHeader([
    'Thread',
    'Starting',
    'Running',
    'Waiting for the GIL',
    'I/O',
    'C code',
    'Lock wait',
    'Took the GIL',
  ]);
  const took = acquisitions(snapshot);
  snapshot.lanes.forEach((lane, i) => {
    const t = lane.totalsMs;
    const row = h('tr', null);
    const th = h('th', lane.label);
    th.setAttribute('scope', 'row');
    row.append(th);
    for (const v of [t.starting, t.running, t.waiting, t.io, t.native, t.blocked])
      row.append(h('td', ms(v)));
    row.append(h('td', lane.lock === null ? '—' : `${took[i] ?? 0}×`));
    body.append(row);
  });
  return table;
}

/** Short description of settings that ran (give it a plan's `effective` settings). */
export function describe(s: ExperimentSettings): string {
  const kind = s.executor === 'processes' ? 'process' : 'thread';
  const how =
    s.executor === 'sequential'
      ? 'one after another'
      : `${s.workers} ${s.workers === 1 ? kind : s.executor}`;
  const gil =
    s.executor === 'processes' ? 'a GIL each' : s.gil ? `GIL, ${s.switchIntervalMs} ms` : 'no GIL';
  const race =
    s.workload === 'race'
      ? `, ${s.callBetween ? 'call' : 'no call'}, ${s.useLock ? 'lock' : 'no lock'}`
      : '';
  return `${s.workload}, ${how}, ${gil}${race}`;
}

/** "Your runs": settings and figures of recent runs side by side. */
export function compareTable(rows: readonly RunRow[]): HTMLElement {
  const { table, body } = tableWithHeader([
    'Run',
    'Settings',
    'Wall time',
    'Speed-up',
    'GIL held',
    'Switches',
    'In parallel',
    'Lost',
  ]);
  rows.forEach(({ settings, result, comparison }, i) => {
    const r = result;
    body.append(
      h(
        'tr',
        null,
        h('td', String(i + 1)),
        h('td', describe(settings)),
        h('td', ms(r.wallMs)),
        h(
          'td',
          comparison?.verdict.busy
            ? 'too close to call (busy machine)'
            : r.speedup === null
              ? '—'
              : times(r.speedup),
        ),
        h('td', r.lockHeldShare === null ? '—' : pct(r.lockHeldShare)),
        h('td', String(r.switches)),
        h('td', ms(r.overlapMs)),
        h('td', r.race ? r.race.lost.toLocaleString() : '—'),
      ),
    );
  });
  return table;
}
