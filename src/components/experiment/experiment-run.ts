/**
 * The heavy half of an experiment, loaded on demand: runs the reader's settings on the page lab's
 * runtime, in the page's one queue of runs (parallel runs would fight for the same cores), draws
 * the timeline live, and shows the results, the prediction and the comparison.
 */
import {
  TimelineReader,
  compareWithPlainLoop,
  convoyRate,
  measureRate,
  pageLab,
  createTimeline,
  pageStorage,
  recallSize,
  runLanes,
  rememberSize,
  sizeKey,
  speedLimits,
  type Comparison,
  type RunConfigInput,
  type RunResult,
  type PageLab,
  type Runtime,
} from '../../runtime/index.ts';
import { explainRunError } from '../isolation/live-support.ts';
import {
  ClientPresetSchema,
  ExperimentSettingsSchema,
  type ExperimentSettings,
} from '../../schemas/experiment.ts';
import type { ExperimentHost } from './experiment-host.ts';
import { pythonProgram } from './python-program.ts';
import { compareTable, resultsList, type RunRow } from './results-view.ts';
import { plainLoop, planRun, withSize, type RunPlan } from './run-plan.ts';
import { ms } from '../shared/format.ts';
import { timelineTable } from '../timeline/timeline-table.ts';
import { TimelineCanvas } from '../timeline/timeline-canvas.ts';
import { LiveTimeline } from '../timeline/live-timeline.ts';
import { referenceFor } from './reference.ts';
import { predictionVerdict, runSummary } from './run-summary.ts';
import { stoppedWords, type ShownRate } from './verdict-words.ts';

/** Runs kept in "Your runs". */
const MAX_ROWS = 6;

const rows = new WeakMap<ExperimentHost, RunRow[]>();
const canvases = new WeakMap<ExperimentHost, LiveTimeline>();
/** Runs started per widget: a late message of an earlier run is not said over a later one. */
const attempts = new WeakMap<ExperimentHost, number>();

const cancelled = () => new DOMException('The run was cancelled', 'AbortError');

/**
 * Settles like `promise`, but rejects at once (AbortError) when `signal` aborts first. The
 * promise itself goes on (its owner cleans up); only the waiting stops.
 */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort))
      .catch(() => undefined);
  });
}

function liveTimeline(el: ExperimentHost): LiveTimeline {
  let live = canvases.get(el);
  if (!live) {
    live = new LiveTimeline(el, new TimelineCanvas(el.find<HTMLCanvasElement>('[data-canvas]')));
    canvases.set(el, live);
  }
  return live;
}

/** The last settings each widget accepted from its controls (before any: its preset's). */
const accepted = new WeakMap<ExperimentHost, ExperimentSettings>();
/** How many times each widget's Python was re-highlighted (the latest call writes). */
const highlights = new WeakMap<ExperimentHost, number>();

/**
 * Re-validates settings after a knob changed and updates the matching Python. A value out of
 * range (a tampered `max`, an option's value edited) is refused: the widget goes back to the last
 * settings it accepted, and its controls show them again, so a run always uses what they show.
 */
export async function settingsChanged(el: ExperimentHost): Promise<void> {
  const parsed = ExperimentSettingsSchema.safeParse(el.settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    el.announce(
      `That setting is out of range (${issue?.path.join('.')}): ${issue?.message}. The previous value is kept.`,
    );
    el.showSettings(accepted.get(el) ?? el.preset.settings);
    return;
  }
  el.settings = parsed.data;
  accepted.set(el, parsed.data);
  // Highlighting is async (its first call loads shiki): only the latest change may write, or a
  // slow earlier one could put back the Python of settings the reader has since changed.
  const mine = (highlights.get(el) ?? 0) + 1;
  highlights.set(el, mine);
  const { highlightPython } = await import('./python-highlight.ts');
  const html = await highlightPython(pythonProgram(parsed.data));
  if (highlights.get(el) === mine) el.find('[data-python]').innerHTML = html;
}

/** The key under which the page lab remembers a configuration's warm-up and size. */
function readyKey(config: RunConfigInput): string {
  return JSON.stringify([config.workload, config.executor, config.mode, config.workers]);
}

/**
 * The size of `workload` for `targetMs` on this device: remembered from an earlier page or visit
 * (see remembered-sizes.ts), else calibrated now and remembered.
 */
async function sizeFor(
  rt: Runtime,
  workload: Parameters<Runtime['calibrate']>[0],
  targetMs: number,
): Promise<number> {
  const storage = pageStorage();
  const key = sizeKey(workload, targetMs, {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency || 1,
  });
  const remembered = recallSize(storage, key);
  if (remembered !== null) return remembered;
  const { size } = await rt.calibrate(workload, targetMs);
  rememberSize(storage, key, size);
  return size;
}

/**
 * Gets a configuration ready to run at once: sizes its work for this device (warming one worker
 * up), then, for a thread or process pool, runs one short task per worker so every worker it
 * needs is warm.
 * Remembered per page, so only the first run (or `prepare`) of a configuration pays for it.
 * Resolves with the calibrated size (null when the work has a fixed size).
 */
function readyFor(lab: PageLab, config: RunConfigInput): Promise<number | null> {
  return lab.ready(readyKey(config), async () => {
    const rt = await lab.runtime();
    const { targetMs, size: fixed, ...workload } = config.workload;
    const size = targetMs === undefined ? null : await sizeFor(rt, workload, targetMs);
    const workers = config.workers ?? 1;
    const pool = config.executor === 'threads' || config.executor === 'processes';
    if (pool && workers > 1) {
      // Every thread (or process) runs a short task of the run's own kind, contending like the
      // run: warms up new workers and the contended code path, which V8 otherwise optimises
      // during the first run (making it slower than the ones after it). Process workers stay warm
      // in the runtime's process pool for the runs after this one.
      const short = Math.max(1, Math.round((size ?? fixed ?? 5) / 5));
      const warm = rt.executor({ ...withSize(config, short), tasks: workers });
      for (let i = 0; i < workers; i++) warm.submit();
      await warm.shutdown();
    }
    return size;
  });
}

/**
 * Gets an experiment ready while the reader is still reading: warms its workers and sizes its work
 * (see `readyFor`), so Run starts drawing at once. Skipped while a run is queued or running.
 */
export function prepare(el: ExperimentHost): void {
  // A broken data-preset says so as soon as the widget comes into view (the caller shows it).
  ClientPresetSchema.parse(el.preset);
  const parsed = ExperimentSettingsSchema.safeParse(el.settings);
  if (!parsed.success) return;
  const { config } = planRun(parsed.data);
  const lab = pageLab();
  lab.prepare(() => readyFor(lab, config));
}

/**
 * Empty lanes for the run about to start, drawn at once while its workers get ready, so the
 * reader sees where the run will appear (the lanes the runtime will draw, parent included).
 */
function placeholderTimeline(config: RunConfigInput): TimelineReader {
  const lanes = runLanes({
    executor: config.executor ?? (config.mode === 'processes' ? 'processes' : 'threads'),
    workers: config.executor === 'sequential' ? 1 : (config.workers ?? 1),
    mode: config.mode ?? 'gil',
    startMethod: config.startMethod ?? 'none',
  });
  return new TimelineReader(createTimeline(lanes.length, 256), lanes);
}

async function execute(
  rt: Runtime,
  config: RunConfigInput,
  extra: RunPlan['extraTasks'],
  signal: AbortSignal,
  live: LiveTimeline | null,
): Promise<RunResult> {
  const executor = rt.executor(config, { signal });
  live?.start(executor.timeline);
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
    live?.stop();
  }
}

/**
 * One run, while holding the page's turn: ready the workers and size the work (drawing the lanes
 * at once), run it live, then measure the plain loop beside it for the speed-up. After a Stop it
 * says nothing more and only finishes cleaning up (the caller has already settled).
 */
async function runOnce(
  lab: PageLab,
  el: ExperimentHost,
  plan: RunPlan,
  signal: AbortSignal,
  onPhase: (phase: string) => void,
): Promise<Shown> {
  const say = (message: string) => signal.aborted || el.announce(message);
  const live = liveTimeline(el);
  live.start(placeholderTimeline(plan.config));
  try {
    const rt = await lab.runtime();
    const key = readyKey(plan.config);
    onPhase('getting the workers ready');
    if (!lab.isReady(key)) say('Getting the workers ready and sizing the work for this device…');
    // Let whatever `prepare` is doing finish first (it is usually this very configuration).
    await lab.prepared();
    const size = await readyFor(lab, plan.config);
    if (signal.aborted) throw cancelled();
    const config = size === null ? plan.config : withSize(plan.config, size);
    if (plan.effective.workload === 'mixed') {
      // The convoy's rate is not compared with a plain loop, but it still has to know its noise:
      // repeated runs, the median and its spread (a busy machine slows some runs, not others).
      onPhase('measuring run 1');
      say('Running…');
      const m = await measureRate(
        async () => {
          const result = await execute(rt, config, plan.extraTasks, signal, live);
          return { rate: convoyRate(result.timeline).perSecond, value: result };
        },
        {
          onRun: (n) => {
            onPhase(`measuring run ${n + 1}`);
            say(
              `Measured ${n} of up to 7 runs (a rate needs several to know its noise); more runs when they disagree…`,
            );
          },
        },
      );
      const { rates, summary, verdict } = m;
      return { result: m.values[m.picked]!, comparison: null, rate: { rates, summary, verdict } };
    }
    if (!plan.baseline) {
      onPhase('running');
      say('Running…');
      return {
        result: await execute(rt, config, plan.extraTasks, signal, live),
        comparison: null,
        rate: null,
      };
    }
    // Interleaved pairs with a plain loop of the same work, so the speed-up knows its noise.
    const loop = plainLoop(config);
    onPhase('measuring pair 1');
    say('Running…');
    const compared = await compareWithPlainLoop({
      run: () => execute(rt, config, plan.extraTasks, signal, live),
      baseline: async () => (await execute(rt, loop, [], signal, null)).wallMs,
      limits: speedLimits(config, navigator.hardwareConcurrency || 1),
      onPair: (s) => {
        onPhase(`measuring pair ${s.pairs + 1}`);
        say(
          `Measured ${s.pairs} of up to 9 pairs (the run, then a plain loop of the same work, in turn); more pairs when they disagree…`,
        );
      },
    });
    return { ...compared, rate: null };
  } finally {
    live.stop();
  }
}

/**
 * A finished run (the median pair's or run's, when measured more than once), its comparison with
 * a plain loop, and a rate measured over repeated runs (the convoy's).
 */
interface Shown {
  result: RunResult;
  comparison: Comparison | null;
  rate: ShownRate | null;
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  return Object.assign(document.createElement('p'), { className, textContent: text });
}

function show(el: ExperimentHost, ran: ExperimentSettings, shown: Shown): void {
  const { result, comparison, rate } = shown;
  const results = el.find('[data-results]');
  const verdict = predictionVerdict(el, result, ran, comparison, rate);
  results.replaceChildren(resultsList(result, ran, comparison, rate));
  if (verdict) results.append(paragraph('exp-verdict', verdict));
  const reference = referenceFor(el.preset.name);
  if (reference) results.append(paragraph('exp-reference', `Real CPython: ${reference}`));
  results.hidden = false;
  el.find('[data-timeline-table]').replaceChildren(timelineTable(result.timeline));
  const list = [...(rows.get(el) ?? []), { settings: ran, result, comparison }].slice(-MAX_ROWS);
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
    verdict: comparison && {
      speed: comparison.verdict.speed,
      busy: comparison.verdict.busy,
      noisy: comparison.verdict.noisy,
      capped: comparison.verdict.capped,
      ceiling: comparison.limits.ceiling,
      pairs: comparison.summary.pairs,
    },
    rate: rate && {
      median: rate.summary?.median ?? null,
      runs: rate.rates.length,
      busy: rate.verdict.busy,
    },
  });
  el.announce(`${runSummary(ran, result, comparison, rate)} ${verdict}`.trim());
}

/**
 * Runs the element's current settings and shows everything; never throws. Stop settles it at
 * once, also while the run waits for its turn or for its workers to get ready; the work already
 * under way then finishes cleaning up in the background, still holding the page's turn.
 */
export async function runAndShow(el: ExperimentHost, signal: AbortSignal): Promise<void> {
  delete el.dataset.result;
  // A data-preset without a name or settings (`{}`) is broken: never run on the defaults.
  ClientPresetSchema.parse(el.preset);
  const settings = ExperimentSettingsSchema.parse(el.settings);
  const plan = planRun(settings);
  const startedAt = performance.now();
  const attempt = (attempts.get(el) ?? 0) + 1;
  attempts.set(el, attempt);
  let phase = 'waiting for its turn';
  const lab = pageLab();
  if (lab.busy) el.announce('Waiting for the other run on this page to finish…');
  const job = lab.run(() => runOnce(lab, el, plan, signal, (now) => (phase = now)), signal);
  try {
    const shown = await unlessAborted(job, signal);
    liveTimeline(el).showFinal(shown.result.timeline);
    el.lastResult = shown.result;
    show(el, plan.effective, shown);
    el.setState('done');
    el.dispatchEvent(new CustomEvent('gil-lab:experiment-finished', { bubbles: true }));
  } catch (error) {
    if (signal.aborted) {
      el.setState('cancelled');
      // The previous run's figures no longer describe the (partial) timeline on screen.
      el.find('[data-results]').hidden = true;
      el.find('[data-timeline-table]').replaceChildren();
      const elapsed = ms(performance.now() - startedAt);
      const stopped = (finished: boolean) => stoppedWords(elapsed, phase, plan.effective, finished);
      el.announce(stopped(false));
      // Finish the message once the work under way has let go of its workers (unless the reader
      // has started another run meanwhile).
      void job
        .catch(() => undefined)
        .then(() => {
          if (attempts.get(el) === attempt && el.dataset.state === 'cancelled') {
            el.announce(stopped(true));
          }
        });
    } else {
      el.setState('error');
      const refused = explainRunError(error);
      const message = error instanceof Error ? error.message : String(error);
      el.announce(
        refused
          ? `The run cannot work here: ${refused}`
          : `The run failed: ${message}. Press Run to try again.`,
      );
    }
  }
}
