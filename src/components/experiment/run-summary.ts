/**
 * The sentences said after a run: how the reader's prediction compares with the measurement, and
 * the run's headline figures (announced to screen readers).
 */
import type { RunResult } from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment';
import type { GilExperiment } from './experiment-element';
import { ioCallsPerSecond, ms, speedClass, times } from './results-view';

/** How the reader's prediction compares with what was measured; '' if they made none. */
export function predictionVerdict(el: GilExperiment, result: RunResult): string {
  const predict = el.preset.predict;
  const box = el.querySelector('[data-predict]');
  if (!predict || !box) return '';
  const chosen = box.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value;
  const typed = box.querySelector<HTMLInputElement>('input[type=number]')?.value;
  if (predict.kind === 'speed') {
    if (!chosen || result.speedup === null) return '';
    return `You predicted ${chosen}; it ran ${speedClass(result.speedup)} (${times(result.speedup)}).`;
  }
  if (!typed) return '';
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
export function runSummary(settings: ExperimentSettings, r: RunResult): string {
  const parts = [`Done in ${ms(r.wallMs)}`];
  if (r.speedup !== null) parts.push(`${times(r.speedup)} the speed of a plain loop`);
  if (r.race)
    parts.push(
      `${r.race.lost.toLocaleString()} of ${r.race.expected.toLocaleString()} updates lost`,
    );
  const rate = settings.workload === 'mixed' ? ioCallsPerSecond(r.timeline) : null;
  if (rate !== null)
    parts.push(`the I/O thread made ${Math.round(rate).toLocaleString()} round trips per second`);
  if (settings.workload === 'asyncio')
    parts.push(`${settings.tasks ?? 1000} waits overlapped on one thread`);
  else if (settings.executor !== 'sequential') parts.push(`${ms(r.overlapMs)} truly in parallel`);
  return `${parts.join(', ')}.`;
}
