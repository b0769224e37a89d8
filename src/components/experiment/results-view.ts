import {
  convoyRate,
  ioReacquireMs,
  laneImbalance,
  type Comparison,
  type RunResult,
} from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment.ts';
import { h, tableWithHeader } from '../shared/dom.ts';
import { ms, pct, times } from '../shared/format.ts';
import { rateWords, speedupWords, type ShownRate } from './verdict-words.ts';

/** Renders a finished run's numbers and the comparison of runs. */

/** One row of "Your runs". */
export interface RunRow {
  /** The settings that actually ran (a plan's `effective` settings). */
  settings: ExperimentSettings;
  result: RunResult;
  /** The run's comparison with its plain loop, when it had one. */
  comparison?: Comparison | null;
}

/** A description list of the run's figures; modelled costs are labelled as such. */
export function resultsList(
  result: RunResult,
  settings: ExperimentSettings,
  comparison: Comparison | null = null,
  rate: ShownRate | null = null,
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
  const uneven = settings.workload === 'race' ? null : laneImbalance(result);
  if (uneven) {
    item(
      'Uneven lanes',
      `${uneven.slowest} computed for ${ms(uneven.slowestMs)} and ${uneven.fastest} for ${ms(uneven.fastestMs)}, for the same work (${uneven.ratio.toFixed(1)}× longer): other programs on this machine took its core away for a while, and the figures above carry that.`,
    );
  }
  if (result.race) {
    const lost = result.race.expected ? result.race.lost / result.race.expected : 0;
    item(
      'Counter',
      `expected ${result.race.expected.toLocaleString()}, got ${result.race.actual.toLocaleString()}: ${result.race.lost.toLocaleString()} updates lost (${pct(lost)})`,
    );
  }
  const convoy = settings.workload === 'mixed' ? ioReacquireMs(result.timeline) : null;
  const beside = settings.workload === 'mixed' ? convoyRate(result.timeline) : null;
  const single = beside?.perSecond ?? null;
  if (rate) {
    // Repeated runs: the median and its spread, or that the machine was too busy to say.
    const wait =
      convoy === null
        ? ''
        : ` In the run shown, after each call it waited a median ${ms(convoy)} to get the GIL back.`;
    const words = rateWords(rate);
    item(
      'I/O thread',
      `while the other thread computed, ${words}${words.endsWith('.') ? '' : '.'}${wait}`,
    );
  } else if (convoy !== null && single !== null && beside) {
    const alone =
      beside.alone > 0
        ? ` (counted while the other thread computed; ${beside.alone} calls made after it had finished are left out)`
        : '';
    item(
      'I/O thread',
      `${Math.round(single).toLocaleString()} round trips per second${alone}; after each call it waited a median ${ms(convoy)} to get the GIL back`,
    );
  }
  // A run recorded before the parent had a lane of its own (src/data/recorded) modelled the
  // start-up as a wait: it is described as it ran.
  const parentLane = result.timeline.lanes.some((l) => l.kind === 'parent');
  if (result.startup.modelled) {
    const m = result.startup.modelled;
    item(
      `Starting the processes (modelled, ${m.method})`,
      parentLane
        ? `the parent process (the MainProcess lane) starts them one after another before it sends a task, as CPython's does: here it computes ${ms(m.perProcessMs)} per process, sized on this device (${ms(m.totalMs)} in all), which took ${ms(m.workedMs)} on this run, inside the wall time; each process is "starting" until then. It is CPU work, as CPython's is, so a busy machine slows it too. CPython's cost was ${m.source}`
        : `${ms(m.perProcessMs)} per process, one after another (${ms(m.totalMs)}), included in the wall time as CPython pays it: ${m.source}`,
    );
  }
  if (result.startup.measuredMs.length > 0) {
    const avg =
      result.startup.measuredMs.reduce((a, b) => a + b, 0) / result.startup.measuredMs.length;
    item(
      'Browser workers (not timed)',
      `this browser took ${ms(avg)} per worker to create them, before the clock started (workers are kept for the next run): a browser cost CPython does not have, so it is not in the wall time`,
    );
  }
  if (result.sending) {
    const m = result.sending;
    item(
      'Sending tasks (modelled)',
      `the parent process sends each task and takes its result back, one task at a time: here ${parentLane ? 'the parent (the MainProcess lane, running while it sends)' : 'a worker of its own'} computes ${ms(m.perTaskMs)} per task, sized on this device (${ms(m.totalMs)} in all), before a process gets the task. It is CPU work, as CPython's is, so a busy machine slows it as it slows the plain loop; this browser's own message trips overlap it, not on top. CPython's cost was ${m.source}`,
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

/** Short description of settings that ran (give it a plan's `effective` settings). */
export function describe(s: ExperimentSettings): string {
  const kind = s.executor === 'processes' ? 'process' : 'thread';
  const how =
    s.executor === 'sequential'
      ? 'one after another'
      : `${s.workers} ${s.workers === 1 ? kind : s.executor}`;
  const gil =
    s.executor === 'processes'
      ? 'a GIL each'
      : s.mode === 'gil'
        ? `GIL, ${s.switchIntervalMs} ms`
        : 'no GIL';
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
              : comparison?.verdict.noisy
                ? `${times(r.speedup)}, too close to call (busy machine)`
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
