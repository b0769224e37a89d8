import type { GilExperiment } from './experiment-element';

/**
 * What an experiment shows where it cannot run (no SharedArrayBuffer): the one-sentence reason is
 * already in the page; this adds what real CPython measured for the same experiment.
 */
export async function showRecorded(el: GilExperiment): Promise<void> {
  const { referenceFor } = await import('./reference');
  const reference = referenceFor(el.preset.name);
  if (!reference) return;
  const results = el.find('[data-results]');
  const p = document.createElement('p');
  p.textContent = reference;
  results.replaceChildren(p);
  results.hidden = false;
}
