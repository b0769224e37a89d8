/**
 * The sentences said after a run: how the reader's prediction compares with the measurement, and
 * the run's headline figures (announced to screen readers).
 */
import { ioCallsPerSecond, type RunResult } from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment';
import type { GilExperiment } from './experiment-element';
import { describe, speedClass } from './results-view';
import { ms, times } from '../shared/format.ts';
import { matchesPremise, planRun } from './run-plan';

/**
 * How the reader's prediction compares with what was measured; '' if they made none. `ran` are
 * the settings that actually ran (a plan's `effective` settings). A prediction is about the
 * preset's own setup, so a run of another setup (GIL off, processes …) is not compared with it.
 */
export function predictionVerdict(
  el: GilExperiment,
  result: RunResult,
  ran: ExperimentSettings,
): string {
  const predict = el.preset.predict;
  const box = el.querySelector('[data-predict]');
  if (!predict || !box) return '';
  const chosen = box.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value;
  const typed = box.querySelector<HTMLInputElement>('input[type=number]')?.value;
  if (predict.kind === 'speed' ? !chosen : !typed) return '';
  const premise = el.preset.settings;
  if (!matchesPremise(ran, premise)) {
    return `Your prediction was about ${describe(planRun(premise).effective)}; this run (${describe(ran)}) answers a different setup, so it is not compared.`;
  }
  if (predict.kind === 'speed') {
    if (result.speedup === null) return '';
    const measured = speedClass(result.speedup);
    const outcome = measured === chosen ? 'as you expected' : 'not what you expected';
    return `You predicted ${chosen}; it ran ${measured} (${times(result.speedup)}; within ±20 % counts as about the same): ${outcome}.`;
  }
  const measured =
    predict.metric === 'lostPercent' && result.race
      ? (result.race.lost / Math.max(1, result.race.expected)) * 100
      : predict.metric === 'speedup'
        ? (result.speedup ?? 0)
        : predict.metric === 'switches'
          ? result.switches
          : predict.metric === 'ioPerSecond'
            ? (ioCallsPerSecond(result.timeline) ?? 0)
            : result.wallMs;
  return `You predicted ${typed}${predict.unit ?? ''}; measured ${measured.toFixed(1)}${predict.unit ?? ''}.`;
}

/** One sentence for the screen reader announcement: the run's headline figures. */
export function runSummary(ran: ExperimentSettings, r: RunResult): string {
  const parts = [`Done in ${ms(r.wallMs)}`];
  if (r.speedup !== null) parts.push(`${times(r.speedup)} the speed of a plain loop`);
  if (r.race)
    parts.push(
      `${r.race.lost.toLocaleString()} of ${r.race.expected.toLocaleString()} updates lost`,
    );
  const rate = ran.workload === 'mixed' ? ioCallsPerSecond(r.timeline) : null;
  if (rate !== null)
    parts.push(`the I/O thread made ${Math.round(rate).toLocaleString()} round trips per second`);
  if (ran.workload === 'asyncio') parts.push(`${ran.tasks ?? 1000} waits overlapped on one thread`);
  else if (ran.executor !== 'sequential') parts.push(`${ms(r.overlapMs)} truly in parallel`);
  return `${parts.join(', ')}.`;
}
