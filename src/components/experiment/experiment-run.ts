/**
 * The heavy half of an experiment, loaded on demand: runs the reader's settings on the page's
 * shared runtime, draws the timeline live, and shows the results, the prediction and the
 * comparison. One run at a time per page: parallel runs would fight for the same cores.
 */
import {
  createRuntime,
  type RunConfigInput,
  type RunResult,
  type Runtime,
} from '../../runtime/index.ts';
import { ExperimentSettingsSchema, type ExperimentSettings } from '../../schemas/experiment';
import type { GilExperiment } from './experiment-element';
import { pythonProgram } from './python-program';
import { compareTable, ms, resultsList, timelineTable, type RunRow } from './results-view';
import { plainLoop, planRun, withSize, workKey } from './run-plan';
import { TimelineCanvas } from './timeline-canvas';
import { LiveTimeline } from './live-timeline';
import { referenceFor } from './reference';
import { predictionVerdict, runSummary } from './run-summary';

/** Runs kept in "Your runs". */
const MAX_ROWS = 6;
let queue: Promise<unknown> = Promise.resolve();
let busy = false;
const baselines = new Map<string, number>();
const rows = new WeakMap<GilExperiment, RunRow[]>();
const canvases = new WeakMap<GilExperiment, LiveTimeline>();

let runtime: Runtime | null = null;
/** The page's runtime, created on the first run. */
function pageRuntime(): Runtime {
  runtime ??= createRuntime();
  return runtime;
}
// Leaving the page mid-run: stop every worker so none outlives the page (or the bfcache entry).
// A page restored from the bfcache gets a fresh runtime on its next run.
addEventListener('pagehide', () => {
  const leaving = runtime;
  runtime = null;
  void leaving?.dispose();
});

function liveTimeline(el: GilExperiment): LiveTimeline {
  let live = canvases.get(el);
  if (!live) {
    live = new LiveTimeline(el, new TimelineCanvas(el.find<HTMLCanvasElement>('[data-canvas]')));
    canvases.set(el, live);
  }
  return live;
}

/** Re-validates settings after a knob changed and updates the matching Python. */
export async function settingsChanged(el: GilExperiment): Promise<void> {
  const parsed = ExperimentSettingsSchema.safeParse(el.settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    el.announce(
      `That setting is out of range (${issue?.path.join('.')}): ${issue?.message}. The previous value is kept.`,
    );
    el.settings = { ...el.preset.settings };
    return;
  }
  el.settings = parsed.data;
  const { highlightPython } = await import('./python-highlight');
  const code = pythonProgram(parsed.data);
  el.find('[data-python]').innerHTML = await highlightPython(code);
}

async function calibratedSize(rt: Runtime, config: RunConfigInput): Promise<number | null> {
  const { targetMs, ...workload } = config.workload;
  if (targetMs === undefined) return null;
  const { size: _s, ...rest } = workload;
  return (await rt.calibrate(rest, targetMs)).size;
}

/**
 * Gets an experiment ready while the reader is still reading: sizes its work for this device
 * (which also starts a worker and warms it up), so Run starts drawing at once. Queued like a run.
 */
export function prepare(el: GilExperiment): void {
  const parsed = ExperimentSettingsSchema.safeParse(el.settings);
  if (!parsed.success) return;
  const { config } = planRun(parsed.data);
  queue = queue.then(() => calibratedSize(pageRuntime(), config)).catch(() => undefined);
}

async function execute(
  rt: Runtime,
  config: RunConfigInput,
  extra: ReturnType<typeof planRun>['extraTasks'],
  signal: AbortSignal,
  live: LiveTimeline,
  baselineWallMs?: number,
): Promise<RunResult> {
  const executor = rt.executor(
    config,
    baselineWallMs === undefined ? { signal } : { signal, baselineWallMs },
  );
  live.start(executor.timeline);
  try {
    const futures = [
      ...Array.from({ length: config.tasks ?? 1 }, () => executor.submit()),
      ...extra.map((task) => executor.submit(task)),
    ];
    await Promise.all(futures.map((f) => f.result()));
    return await executor.shutdown();
  } catch (error) {
    await executor.shutdown().catch(() => undefined);
    throw error;
  } finally {
    live.stop();
  }
}

async function runOnce(
  el: GilExperiment,
  settings: ExperimentSettings,
  signal: AbortSignal,
): Promise<RunResult> {
  const rt = pageRuntime();
  const plan = planRun(settings);
  const live = liveTimeline(el);
  el.announce('Sizing the work for this device…');
  const size = await calibratedSize(rt, plan.config);
  const config = size === null ? plan.config : withSize(plan.config, size);
  let baselineWallMs: number | undefined;
  if (plan.baseline) {
    const baseline = plainLoop(config);
    const key = workKey(baseline);
    if (!baselines.has(key)) {
      el.announce('Measuring the baseline: the same work in a plain loop…');
      baselines.set(key, (await execute(rt, baseline, [], signal, live)).wallMs);
    }
    baselineWallMs = baselines.get(key);
  }
  el.announce('Running…');
  return execute(rt, config, plan.extraTasks, signal, live, baselineWallMs);
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  return Object.assign(document.createElement('p'), { className, textContent: text });
}

function show(el: GilExperiment, settings: ExperimentSettings, result: RunResult): void {
  const results = el.find('[data-results]');
  const verdict = predictionVerdict(el, result);
  results.replaceChildren(resultsList(result, settings));
  if (verdict) results.append(paragraph('exp-verdict', verdict));
  const reference = referenceFor(el.preset.name);
  if (reference) results.append(paragraph('exp-reference', `Real CPython: ${reference}`));
  results.hidden = false;
  el.find('[data-timeline-table]').replaceChildren(timelineTable(result.timeline));
  const list = [...(rows.get(el) ?? []), { settings, result }].slice(-MAX_ROWS);
  rows.set(el, list);
  el.find('[data-compare-table]').replaceChildren(compareTable(list));
  const compare = el.find('[data-compare]');
  compare.hidden = false;
  el.find('[data-clear]').onclick = () => {
    rows.set(el, []);
    compare.hidden = true;
    el.announce('List cleared.');
  };
  el.dataset.result = JSON.stringify({
    mode: result.mode,
    executor: result.executor,
    workers: result.workers,
    wallMs: result.wallMs,
    speedup: result.speedup,
    lockHeldShare: result.lockHeldShare,
    switches: result.switches,
    overlapMs: result.overlapMs,
    race: result.race,
    workload: result.workload.name,
  });
  el.announce(`${runSummary(settings, result)} ${verdict}`.trim());
}

/** Runs the element's current settings and shows everything; never throws. */
export async function runAndShow(el: GilExperiment, signal: AbortSignal): Promise<void> {
  const settings = ExperimentSettingsSchema.parse(el.settings);
  let stoppedAt = 0;
  signal.addEventListener('abort', () => (stoppedAt = performance.now()), { once: true });
  if (busy) el.announce('Waiting for the other experiment on this page to finish…');
  const turn = queue.then(async () => {
    busy = true;
    try {
      if (signal.aborted) throw new DOMException('The run was cancelled', 'AbortError');
      return await runOnce(el, settings, signal);
    } finally {
      busy = false;
    }
  });
  queue = turn.catch(() => undefined);
  try {
    const result = await turn;
    liveTimeline(el).showFinal(result.timeline);
    el.lastResult = result;
    show(el, settings, result);
    el.setState('done');
    el.dispatchEvent(new CustomEvent('gil-lab:experiment-finished', { bubbles: true }));
  } catch (error) {
    if (signal.aborted) {
      el.setState('cancelled');
      el.announce(
        `Stopped after ${ms(performance.now() - stoppedAt)}. Every worker of the run was stopped; press Run to start again.`,
      );
    } else {
      el.setState('error');
      const message = error instanceof Error ? error.message : String(error);
      el.announce(`The run failed: ${message}. Press Run to try again.`);
    }
  }
}
