/**
 * The sentences said after a run: how the reader's prediction compares with the measurement, and
 * the run's headline figures (announced to screen readers).
 */
import {
  convoyRate,
  ioReacquireMs,
  type Comparison,
  type RunResult,
  type SpeedClass,
} from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment.ts';
import type { ExperimentHost } from './experiment-host.ts';
import { ms, times } from '../shared/format.ts';
import { matchesPremise } from './run-plan.ts';
import {
  busyGuessWords,
  gapWords,
  premiseWords,
  speedPredictionWords,
  speedupCheckable,
  type ShownRate,
} from './verdict-words.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why a figure came out as it did, for a numeric prediction (empty when there is nothing to add). */
export function explanation(
  metric: string | undefined,
  ran: ExperimentSettings,
  result: RunResult,
): string {
  if (metric === 'wallMs' && ran.workload === 'io') {
    const tasks = ran.tasks ?? ran.workers;
    if (tasks === 1) {
      return `One call of ${ms(ran.taskMs)} takes at least ${ms(ran.taskMs)}: with one task there is nothing to wait beside it.`;
    }
    return `One after another, ${plural(tasks, 'call')} of ${ms(ran.taskMs)} would take ${ms(tasks * ran.taskMs)}; the threads waited at the same time, because waiting releases the GIL.`;
  }
  if (metric === 'wallMs' && ran.workload === 'asyncio') {
    return `The waits overlap on one thread: the batch takes about as long as the longest wait (${ms(ran.taskMs)}) plus the event loop's own work.`;
  }
  if (metric === 'wallMs' && ran.workload === 'race' && ran.useLock) {
    const tasks = ran.tasks ?? ran.workers;
    return `Every update takes the one lock, so the threads take turns at it whether or not there is a GIL: ${plural(tasks, 'thread')} need at least the ${ms(tasks * ran.taskMs)} of doing their updates one after another, plus every hand-over of the lock.`;
  }
  if (metric === 'lostPercent') {
    if (ran.useLock) return 'The lock makes each read-and-write one step, so nothing is lost.';
    if (ran.mode === 'free-threaded') {
      return 'Without a GIL both threads run at once, so one thread’s read and write can fall on either side of the other’s, with or without a call between them: each such overlap loses an update.';
    }
    if (ran.callBetween) {
      return 'The call between reading and writing lets the GIL pass to the other thread mid-update, so one thread writes back a stale value over the other’s.';
    }
    return 'With nothing between reading and writing, a switch almost never lands mid-update: the interpreter only checks for one at calls and loop jumps.';
  }
  if (metric === 'ioPerSecond') {
    const wait = ioReacquireMs(result.timeline);
    if (wait === null) return '';
    return `After each call the I/O thread waited a median ${ms(wait)} to get the GIL back from the computing thread (switch interval ${ran.switchIntervalMs} ms).`;
  }
  return '';
}

/**
 * How the reader's prediction compares with what was measured; '' if they made none. `ran` are
 * the settings that actually ran (a plan's `effective` settings). A prediction is about the
 * preset's own setup, so a run of another setup (GIL off, processes …) is not compared with it.
 * A speed prediction is graded only when the comparison is decided (see speedVerdict).
 */
export function predictionVerdict(
  el: ExperimentHost,
  result: RunResult,
  ran: ExperimentSettings,
  comparison: Comparison | null = null,
  rate: ShownRate | null = null,
): string {
  const predict = el.preset.predict;
  const box = el.querySelector('[data-predict]');
  if (!predict || !box) return '';
  const chosen = box.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value;
  const typed = box.querySelector<HTMLInputElement>('input[type=number]')?.value;
  if (predict.kind === 'speed' ? !chosen : !typed) return '';
  const premise = el.preset.settings;
  if (!matchesPremise(ran, premise)) return premiseWords(ran, premise);
  if (predict.kind === 'speed') {
    return comparison ? speedPredictionWords(chosen as SpeedClass, comparison) : '';
  }
  if (predict.metric === 'ioPerSecond' && rate?.verdict.busy) {
    const s = rate.summary;
    const seen = s
      ? s.runs > 1
        ? ` (runs gave ${Math.round(s.q1)}–${Math.round(s.q3)}${predict.unit ?? ''} in their middle half)`
        : ` (one run gave ${Math.round(s.median)}${predict.unit ?? ''})`
      : '';
    return busyGuessWords(String(typed), predict.unit ?? '', seen);
  }
  // A speed-up guess is checked only against a figure the pairs stand behind (never "0.0×").
  if (predict.metric === 'speedup' && !speedupCheckable(comparison)) {
    return busyGuessWords(String(typed), predict.unit ?? '');
  }
  const measured =
    predict.metric === 'lostPercent' && result.race
      ? (result.race.lost / Math.max(1, result.race.expected)) * 100
      : predict.metric === 'speedup'
        ? (result.speedup ?? 0)
        : predict.metric === 'switches'
          ? result.switches
          : predict.metric === 'ioPerSecond'
            ? (rate?.summary?.median ?? convoyRate(result.timeline).perSecond ?? 0)
            : result.wallMs;
  const unit = predict.unit ?? '';
  const guess = Number(typed);
  const digits = measured >= 100 ? 0 : 1;
  const gap = gapWords(guess, measured);
  const why = explanation(predict.metric, ran, result);
  return `You guessed ${typed}${unit}; it measured ${measured.toFixed(digits)}${unit}${gap ? `, ${gap}` : ''}.${why ? ` ${why}` : ''}`;
}

/** One sentence for the screen reader announcement: the run's headline figures. */
export function runSummary(
  ran: ExperimentSettings,
  r: RunResult,
  comparison: Comparison | null = null,
  rateRuns: ShownRate | null = null,
): string {
  const parts = [`Done in ${ms(r.wallMs)}`];
  const v = comparison?.verdict;
  if (v?.busy) parts.push('your machine is busy: the speed comparison is too close to call');
  else if (v?.noisy && v.speed !== null)
    parts.push(
      `${v.speed === 'about the same' ? 'about as fast as' : `${v.speed} than`} the plain loop, though your machine is busy: the figure is too close to call`,
    );
  else if (r.speedup !== null) parts.push(`${times(r.speedup)} the speed of a plain loop`);
  if (r.race)
    parts.push(
      `${r.race.lost.toLocaleString()} of ${r.race.expected.toLocaleString()} updates lost`,
    );
  const rate =
    ran.workload !== 'mixed'
      ? null
      : rateRuns
        ? (rateRuns.summary?.median ?? null)
        : convoyRate(r.timeline).perSecond;
  if (rateRuns?.verdict.busy) {
    parts.push('your machine is busy: the I/O thread’s rate is too close to call');
  } else if (rate !== null) {
    const runs = rateRuns?.summary ? ` (median of ${rateRuns.summary.runs} runs)` : '';
    parts.push(
      `the I/O thread made ${Math.round(rate).toLocaleString()} round trips per second${runs}`,
    );
  }
  if (ran.workload === 'asyncio') parts.push(`${ran.tasks ?? 1000} waits overlapped on one thread`);
  else if (ran.executor !== 'sequential') parts.push(`${ms(r.overlapMs)} truly in parallel`);
  return `${parts.join(', ')}.`;
}
