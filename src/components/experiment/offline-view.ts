import type { RunResult } from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment.ts';
import type { ExperimentHost } from './experiment-host.ts';
import { LiveTimeline } from '../timeline/live-timeline.ts';
import { referenceFor } from './reference.ts';
import { resultsList } from './results-view.ts';
import { timelineTable } from '../timeline/timeline-table.ts';
import { TimelineCanvas } from '../timeline/timeline-canvas.ts';

/**
 * What an experiment shows where it cannot run (no SharedArrayBuffer): the one-sentence reason is
 * already on the page; this adds a real run recorded in Chromium (scripts/record-timelines.mjs),
 * clearly labelled as recorded, and what real CPython measured for the same experiment.
 */

/** A recording as scripts/record-timelines.mjs writes it. */
interface Recording {
  preset: string;
  recordedAt: string;
  browser: string;
  cores: number;
  settings: ExperimentSettings;
  result: Omit<RunResult, 'values'>;
}

const recordings = import.meta.glob<Recording>('../../data/recorded/*.json', { import: 'default' });

async function recordingFor(preset: string): Promise<Recording | null> {
  const load = recordings[`../../data/recorded/${preset}.json`];
  return load ? load() : null;
}

export async function showRecorded(el: ExperimentHost): Promise<void> {
  const results = el.find('[data-results]');
  const parts: HTMLElement[] = [];
  const recording = await recordingFor(el.preset.name);
  if (recording) {
    const result = { ...recording.result, values: [] } as RunResult;
    const date = recording.recordedAt.slice(0, 10);
    const note = document.createElement('p');
    note.className = 'exp-recorded';
    note.textContent = `Instead, a run recorded earlier (${recording.browser}, ${recording.cores} cores, ${date}), not on your device:`;
    parts.push(note, resultsList(result, recording.settings));
    new LiveTimeline(el, new TimelineCanvas(el.find<HTMLCanvasElement>('[data-canvas]'))).showFinal(
      result.timeline,
    );
    el.find('[data-timeline-table]').replaceChildren(timelineTable(result.timeline));
  }
  const reference = referenceFor(el.preset.name);
  if (reference) {
    const p = document.createElement('p');
    p.className = 'exp-reference';
    p.textContent = `Real CPython: ${reference}`;
    parts.push(p);
  }
  if (parts.length === 0) return;
  results.replaceChildren(...parts);
  results.hidden = false;
}
