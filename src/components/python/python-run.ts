/**
 * The heavy half of a runnable Python block, loaded on the first "Run Python": runs the code on
 * the page lab's Pyodide runner, in the page's one queue of runs (every run shares the page's
 * interpreters, at most 8, and an experiment beside it would disturb its timings); streams output
 * per thread, draws the live timeline and says the summary.
 */
import { interpretersFor, pageLab } from '../../runtime/index.ts';
import { explainRunError } from '../isolation/live-support.ts';
import { ms } from '../shared/format.ts';
import { timelineTable } from '../timeline/timeline-table.ts';
import { endOfRun, runSummary } from './run-end.ts';
import { liveTimelineOf, outputViewOf, showProgress, showRun } from './run-view.ts';
import type { OutputView } from './python-output.ts';
import type { PythonHost } from './python-host.ts';

/** "; 100,000 lines of output, the last 2,000 shown" for the announcement at the end. */
function outputSummary(view: OutputView): string {
  const n = view.totalLines;
  if (n === 0) return '';
  const lines = `${n.toLocaleString('en')} line${n === 1 ? '' : 's'} of output`;
  if (view.droppedLines === 0) return `; ${lines}`;
  return `; ${lines}, the last ${(n - view.droppedLines).toLocaleString('en')} shown`;
}

/** Runs the block's current code; reports through the element, never throws. */
export async function runPython(el: PythonHost, onStop: (stop: () => void) => void): Promise<void> {
  const source = el.source();
  const mode = el.find<HTMLInputElement>('[data-gil]').checked ? 'gil' : 'free-threaded';
  const switchIntervalMs = Number(el.find<HTMLSelectElement>('[data-interval]').value);
  const output = el.find('[data-output]');
  output.hidden = false;
  const view = outputViewOf(el, '[data-output] pre');
  view.reset();
  const pre = el.find('[data-output] pre');
  // Output is not announced line by line: the status says when the run starts and ends.
  pre.setAttribute('aria-busy', 'true');
  const live = liveTimelineOf(el);
  let stop = false;
  let stopped: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (stopped = resolve));
  onStop(() => {
    stop = true;
    stopped();
  });
  const lab = pageLab();
  el.announce(lab.busy ? 'Waiting for the other run on this page to finish…' : 'Loading Python…');
  const turn = lab.run(async () => {
    if (stop) return null;
    el.announce('Loading Python…');
    const runner = await lab.python();
    // Boot the interpreters the program will use before it starts, so its own timings measure
    // the work and not Pyodide's start-up (the progress bar shows the boot).
    // Stop while interpreters boot takes effect at once; the boot goes on into the warm pool.
    const booting = runner.prewarm(interpretersFor(source), (p) => showProgress(el, p), {
      mode,
      source,
    });
    booting.catch(() => undefined);
    await Promise.race([booting, stopping]);
    if (stop) return null;
    const handle = runner.run(source, {
      mode,
      switchIntervalMs,
      filename: el.dataset.filename ?? 'main.py',
      ...showRun(el, view, live, 'Running…'),
    });
    onStop(() => {
      el.announce('Stopping: KeyboardInterrupt sent to every thread…');
      void handle.stop();
    });
    try {
      return await handle.result;
    } finally {
      live.stop();
    }
  });
  try {
    const result = await turn.finally(() => {
      view.finish();
      pre.removeAttribute('aria-busy');
    });
    el.find('[data-progress]').hidden = true;
    if (!result) {
      el.dataset.state = 'stopped';
      el.announce('Stopped before it started.');
      return;
    }
    live.showFinal(result.timeline);
    el.find('[data-timeline-table]').replaceChildren(timelineTable(result.timeline));
    if (result.stopped) {
      el.dataset.state = 'stopped';
      el.announce(`Stopped after ${ms(result.wallMs)} (KeyboardInterrupt)${outputSummary(view)}.`);
    } else {
      const end = endOfRun(result, runSummary(result, source), outputSummary(view));
      el.dataset.state = end.state;
      el.announce(end.message);
    }
    el.dataset.result = JSON.stringify({
      ok: result.ok,
      mode: result.mode,
      engine: result.engine,
      startedFrom: result.startedFrom,
      wallMs: result.wallMs,
      interpreters: result.interpreters,
      overlapMs: result.overlapMs,
      switches: result.switches,
      lockHeldShare: result.lockHeldShare,
    });
  } catch (error) {
    el.find('[data-progress]').hidden = true;
    el.dataset.state = 'error';
    const refused = explainRunError(error);
    el.announce(
      refused
        ? `Python cannot run here: ${refused}`
        : `Python could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
