/**
 * The heavy half of an exercise, loaded on the first Check: the check engine (src/exercises/) on
 * the page lab's Python runner, in the page's one queue of runs (a check shares the page's
 * interpreters with its Run Python blocks, and an experiment beside it would disturb its
 * timings); the reader's output, the verdict and the failing trial's timeline.
 */
import {
  clipSnapshot,
  lanesAtWork,
  prewarmCheck,
  runCheck,
  type Verdict,
} from '../../exercises/index.ts';
import { pageLab } from '../../runtime/index.ts';
import type { ExerciseEntry } from '../../schemas/exercise.ts';
import { explainRunError } from '../isolation/live-support.ts';
import { liveTimelineOf, outputViewOf, showRun } from '../python/run-view.ts';
import { ms } from '../shared/format.ts';
import { timelineTable } from '../timeline/timeline-table.ts';
import type { GilExercise } from './exercise-element.ts';

function exerciseOf(el: GilExercise): ExerciseEntry {
  return JSON.parse(el.find('[data-exercise]').textContent ?? '{}') as ExerciseEntry;
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

/**
 * While the reader works on an exercise whose checks start processes (each one an interpreter
 * that takes seconds to boot), boots them ahead of the Check, in the page's queue of preparations
 * (skipped while a run is on; a Check waits for the piece under way).
 */
export function prepareCheck(el: GilExercise, code: string): void {
  const exercise = exerciseOf(el);
  const lab = pageLab();
  lab.prepare(async () => prewarmCheck(await lab.python(), exercise, code));
}

/** Checks the reader's code; reports through the element. Resolves true when it passed. */
export async function checkExercise(
  el: GilExercise,
  code: string,
  onStop: (stop: () => void) => void,
): Promise<boolean> {
  const exercise = exerciseOf(el);
  const view = outputViewOf(el, '[data-output]');
  view.reset();
  const box = el.find('[data-output-box]');
  box.hidden = false;
  const pre = el.find('[data-output]');
  pre.setAttribute('aria-busy', 'true');
  el.find('[data-timeline-caption]').hidden = true;
  el.find('[data-timeline]').hidden = true;
  const live = liveTimelineOf(el);
  const controller = new AbortController();
  onStop(() => {
    el.announce('Stopping: KeyboardInterrupt sent to every thread…');
    controller.abort();
  });
  const lab = pageLab();
  el.announce(lab.busy ? 'Waiting for the other run on this page to finish…' : 'Loading Python…');
  const turn = lab
    .run(async () => {
      el.announce('Loading Python…');
      await lab.prepared();
      const runner = await lab.python();
      return runCheck(runner, exercise, code, {
        signal: controller.signal,
        ...showRun(el, view, live, 'Checking: your code runs, then the checks…'),
      }).finally(() => live.stop());
    }, controller.signal)
    // Stopped while waiting for its turn: nothing ran.
    .catch((error: unknown) => {
      if (controller.signal.aborted && error instanceof DOMException && error.name === 'AbortError')
        return null;
      throw error;
    });
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
    const w = verdict.failingWindow;
    const snapshot =
      result && (w ? clipSnapshot(result.timeline, w.startMs, w.endMs) : result.timeline);
    // A timeline only where it shows threads (or processes) at work: two lanes or more.
    if (result && snapshot && lanesAtWork(snapshot) >= 2) {
      const caption = el.find('[data-timeline-caption]');
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
    const refused = explainRunError(error);
    el.announce(
      refused
        ? `Python cannot run here: ${refused}`
        : `Python could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
