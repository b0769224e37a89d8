/**
 * The heavy half of an exercise, loaded on the first Check: the Python runner, the check engine
 * (src/exercises/), the reader's output, the verdict and the failing trial's timeline.
 * One check at a time on the page (every run shares the runner's interpreters).
 */
import { clipSnapshot, runCheck, type Verdict } from '../../exercises/index.ts';
import {
  createPythonRunner,
  type PythonProgress,
  type PythonRunner,
} from '../../runtime/python/index.ts';
import type { ExerciseEntry } from '../../schemas/exercise.ts';
import { LiveTimeline } from '../timeline/live-timeline.ts';
import { ms } from '../shared/format.ts';
import { timelineTable } from '../timeline/timeline-table.ts';
import { TimelineCanvas } from '../timeline/timeline-canvas.ts';
import { OutputView } from '../python/python-output.ts';
import type { GilExercise } from './exercise-element.ts';

let runner: PythonRunner | null = null;
let queue: Promise<unknown> = Promise.resolve();
const timelines = new WeakMap<GilExercise, LiveTimeline>();
const outputs = new WeakMap<GilExercise, OutputView>();

addEventListener('pagehide', () => {
  const leaving = runner;
  runner = null;
  void leaving?.dispose();
});

function exerciseOf(el: GilExercise): ExerciseEntry {
  return JSON.parse(el.find('[data-exercise]').textContent ?? '{}') as ExerciseEntry;
}

function liveTimeline(el: GilExercise): LiveTimeline {
  let live = timelines.get(el);
  if (!live) {
    live = new LiveTimeline(el, new TimelineCanvas(el.find<HTMLCanvasElement>('[data-canvas]')));
    timelines.set(el, live);
  }
  return live;
}

function outputView(el: GilExercise): OutputView {
  let view = outputs.get(el);
  if (!view) {
    view = new OutputView(el.find('[data-output]'), el.find('[data-output-note]'));
    outputs.set(el, view);
  }
  return view;
}

function showProgress(el: GilExercise, p: PythonProgress): void {
  const box = el.find('[data-progress]');
  const bar = box.querySelector('progress');
  box.hidden = p.phase === 'running';
  el.find('[data-progress-text]').textContent = p.message;
  if (!bar) return;
  if (p.total) bar.value = Math.min(1, (p.loaded ?? 0) / p.total);
  else bar.removeAttribute('value');
}

const MARK: Record<string, string> = { passed: '✓', failed: '✗', busy: '≈', 'not-run': '–' };
const SAID: Record<string, string> = {
  passed: 'passed',
  failed: 'failed',
  busy: 'too close to call',
  'not-run': 'not run',
};

function showVerdict(el: GilExercise, verdict: Verdict): void {
  el.find('[data-result]').hidden = false;
  const list = el.find('[data-lines]');
  list.replaceChildren(
    ...verdict.lines.map((line) => {
      const li = document.createElement('li');
      li.dataset.status = line.status;
      const mark = document.createElement('span');
      mark.className = 'ex-mark';
      mark.setAttribute('aria-hidden', 'true');
      mark.textContent = MARK[line.status] ?? '';
      const text = document.createElement('span');
      text.textContent = `${line.name}: ${SAID[line.status]}${line.detail ? `. ${line.detail}` : ''}`;
      li.append(mark, text);
      return li;
    }),
  );
  const tb = el.find('[data-traceback]');
  tb.hidden = verdict.traceback === null;
  tb.textContent = verdict.traceback ?? '';
}

/** Checks the reader's code; reports through the element. Resolves true when it passed. */
export async function checkExercise(
  el: GilExercise,
  code: string,
  onStop: (stop: () => void) => void,
): Promise<boolean> {
  const exercise = exerciseOf(el);
  const view = outputView(el);
  view.reset();
  const box = el.find('[data-output-box]');
  box.hidden = false;
  const pre = el.find('[data-output]');
  pre.setAttribute('aria-busy', 'true');
  el.find('[data-timeline-caption]').hidden = true;
  el.find('[data-timeline]').hidden = true;
  const live = liveTimeline(el);
  const controller = new AbortController();
  onStop(() => {
    el.announce('Stopping: KeyboardInterrupt sent to every thread…');
    controller.abort();
  });
  el.announce('Loading Python…');
  const turn = queue.then(async () => {
    if (controller.signal.aborted) return null;
    runner ??= createPythonRunner();
    return runCheck(runner, exercise, code, {
      signal: controller.signal,
      onOutput: (o) => view.write(o.label, o.stream, o.text),
      onProgress: (p) => {
        showProgress(el, p);
        if (p.phase === 'running') {
          el.dataset.state = 'running';
          el.announce('Checking: your code runs, then the checks…');
        }
      },
      onTimeline: (reader) => live.start(reader),
    }).finally(() => live.stop());
  });
  queue = turn.catch(() => undefined);
  try {
    const checked = await turn.finally(() => {
      view.finish();
      pre.removeAttribute('aria-busy');
    });
    el.find('[data-progress]').hidden = true;
    if (!checked) {
      el.dataset.state = 'stopped';
      el.announce('Stopped before the check started.');
      return false;
    }
    const { verdict, result } = checked;
    el.dataset.state = verdict.status;
    showVerdict(el, verdict);
    el.announce(verdict.summary);
    if (result) {
      const caption = el.find('[data-timeline-caption]');
      const w = verdict.failingWindow;
      const snapshot = w ? clipSnapshot(result.timeline, w.startMs, w.endMs) : result.timeline;
      live.showFinal(snapshot);
      el.find('[data-timeline-table]').replaceChildren(timelineTable(snapshot));
      caption.hidden = false;
      caption.textContent = w
        ? `The timeline of the failing trial (${ms(w.endMs - w.startMs)}):`
        : `The timeline of the whole check (${ms(result.wallMs)}), your program first:`;
    } else {
      el.find('[data-timeline]').hidden = true;
    }
    return verdict.status === 'passed';
  } catch (error) {
    el.find('[data-progress]').hidden = true;
    el.dataset.state = 'error';
    el.announce(`Python could not run: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
