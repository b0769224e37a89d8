/**
 * What a run of Python shows on the page, the same for a Run Python block (./python-run.ts) and an
 * exercise's Check (../exercise/exercise-check.ts): the boot's progress bar, the output per
 * thread and the live timeline, each made once per widget.
 */
import type { TimelineReader } from '../../runtime/index.ts';
import type { PythonOutput, PythonProgress } from '../../runtime/python/index.ts';
import type { WidgetHost } from '../shared/widget-host.ts';
import { LiveTimeline } from '../timeline/live-timeline.ts';
import { TimelineCanvas } from '../timeline/timeline-canvas.ts';
import { OutputView } from './python-output.ts';

const timelines = new WeakMap<WidgetHost, LiveTimeline>();
const outputs = new WeakMap<WidgetHost, OutputView>();

/** The widget's live timeline, drawn on its `[data-canvas]`. */
export function liveTimelineOf(el: WidgetHost): LiveTimeline {
  let live = timelines.get(el);
  if (!live) {
    live = new LiveTimeline(el, new TimelineCanvas(el.find<HTMLCanvasElement>('[data-canvas]')));
    timelines.set(el, live);
  }
  return live;
}

/** The widget's output view: written into the `<pre>` found by `pre`, capped (`[data-output-note]`). */
export function outputViewOf(el: WidgetHost, pre: string): OutputView {
  let view = outputs.get(el);
  if (!view) {
    view = new OutputView(el.find(pre), el.find('[data-output-note]'));
    outputs.set(el, view);
  }
  return view;
}

/** The boot's progress in `[data-progress]` (hidden once the program runs). */
export function showProgress(el: WidgetHost, p: PythonProgress): void {
  const box = el.find('[data-progress]');
  const bar = box.querySelector('progress');
  box.hidden = p.phase === 'running';
  el.find('[data-progress-text]').textContent = p.message;
  if (!bar) return;
  if (p.total) bar.value = Math.min(1, (p.loaded ?? 0) / p.total);
  else bar.removeAttribute('value'); // indeterminate
}

/**
 * The callbacks of a run shown in a widget (a Run Python block or an exercise's Check): output
 * per thread into `view`, the boot's progress, then `running` announced and `data-state` set
 * once the program runs, and the live timeline.
 */
export function showRun(
  el: WidgetHost,
  view: OutputView,
  live: LiveTimeline,
  running: string,
): {
  onOutput: (o: PythonOutput) => void;
  onProgress: (p: PythonProgress) => void;
  onTimeline: (reader: TimelineReader) => void;
} {
  return {
    onOutput: (o) => view.write(o.label, o.stream, o.text),
    onProgress: (p) => {
      showProgress(el, p);
      if (p.phase === 'running') {
        el.dataset.state = 'running';
        el.announce(running);
      }
    },
    onTimeline: (reader) => live.start(reader),
  };
}
