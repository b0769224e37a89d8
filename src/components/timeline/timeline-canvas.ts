import type { LaneInfo, ThreadState, TimelineEvent } from '../../runtime/index.ts';
import { TimelineModel, type StartupInfo } from './timeline-model.ts';

/**
 * Draws a run's timeline on a canvas: one lane per thread or process, time across, a colour per
 * state, and a mark wherever the GIL passed to another thread. Events are appended as they are
 * polled (timeline-model.ts keeps the spans, the hand-offs in global event order and the run's
 * window), so drawing a frame costs one pass over the spans. The canvas says how many hand-offs it
 * marks in `data-handoffs`.
 */

/** Which CSS custom property colours each drawn state (light and dark values in course.css). */
const COLOUR_VARS: Partial<Record<ThreadState, string>> = {
  starting: '--gil-starting',
  running: '--gil-running',
  waiting: '--gil-waiting',
  io: '--gil-io',
  native: '--gil-native',
  blocked: '--gil-blocked',
};

const LANE_HEIGHT = 22;
const LANE_GAP = 6;
const LABEL_WIDTH = 92;
const RIGHT_PAD = 8;

export class TimelineCanvas {
  readonly #canvas: HTMLCanvasElement;
  readonly #model = new TimelineModel();

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
  }

  /** Starts a new run's drawing; `startup` (from the run's result) shows start-up counted in wall time. */
  reset(lanes: readonly LaneInfo[], startup?: StartupInfo | null): void {
    this.#model.reset(lanes, startup);
  }

  /** Appends newly polled events of one lane (lanes may come in any order, in partial batches). */
  add(lane: number, events: readonly TimelineEvent[]): void {
    this.#model.add(lane, events);
  }

  /** Hand-offs marked so far. */
  get handoffs(): number {
    return this.#model.handoffs.count;
  }

  /**
   * Draws up to `endMs` (now while `live`, else the run's end). `windowMs` 0 shows the whole run;
   * otherwise a window of that length whose position runs from 0 (start) to 1 (end).
   */
  draw(endMs: number, windowMs = 0, position = 1, live = false): void {
    const canvas = this.#canvas;
    const model = this.#model;
    canvas.dataset.handoffs = String(model.handoffs.count);
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.max(200, canvas.clientWidth || 600);
    const height = model.lanes.length * (LANE_HEIGHT + LANE_GAP) + 24;
    if (
      canvas.width !== Math.round(width * ratio) ||
      canvas.height !== Math.round(height * ratio)
    ) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const colour = (v: string) => style.getPropertyValue(v).trim() || '#888';
    const text = colour('--sl-color-gray-2');

    const run = model.window(endMs, live);
    const total = run.to - run.from;
    const shown = windowMs > 0 ? Math.min(windowMs, total || windowMs) : total || 1;
    const from = run.from + Math.max(0, total - shown) * position;
    const to = from + shown;
    const plotWidth = width - LABEL_WIDTH - RIGHT_PAD;
    const x = (t: number) => LABEL_WIDTH + ((t - from) / shown) * plotWidth;

    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    model.lanes.forEach((info, lane) => {
      const y = lane * (LANE_HEIGHT + LANE_GAP);
      ctx.fillStyle = text;
      ctx.fillText(info.label, 0, y + LANE_HEIGHT / 2, LABEL_WIDTH - 6);
      const spans = model.spans[lane] ?? [];
      const last = spans.at(-1);
      for (const s of spans) {
        const end = s === last && s.state !== 'done' ? Math.max(s.start, endMs) : s.end;
        // Start-up is drawn as wall time counts it (not the JIT warm-up), see startingBar().
        const bar = s.state === 'starting' ? model.startingBar(lane, { ...s, end }) : { ...s, end };
        const variable = COLOUR_VARS[s.state];
        if (!variable || !bar || bar.end < from || bar.start > to) continue;
        const left = Math.max(LABEL_WIDTH, x(bar.start));
        const right = Math.min(width - RIGHT_PAD, x(bar.end));
        ctx.fillStyle = colour(variable);
        ctx.fillRect(left, y, Math.max(1, right - left), LANE_HEIGHT);
      }
    });
    // Hand-offs: a tick down the lane that took the GIL, with a small head at its top.
    ctx.fillStyle = colour('--gil-handoff');
    for (const h of model.handoffs.marks()) {
      if (h.t < from || h.t > to) continue;
      const hx = x(h.t);
      const y = h.lane * (LANE_HEIGHT + LANE_GAP);
      ctx.fillRect(hx - 0.75, y, 1.5, LANE_HEIGHT);
      ctx.beginPath();
      ctx.moveTo(hx - 3.5, y - 1);
      ctx.lineTo(hx + 3.5, y - 1);
      ctx.lineTo(hx, y + 5);
      ctx.fill();
    }
    ctx.fillStyle = text;
    const axisY = height - 10;
    ctx.fillText(formatMs(from - run.from), LABEL_WIDTH, axisY);
    const endLabel = formatMs(to - run.from);
    ctx.fillText(endLabel, width - RIGHT_PAD - ctx.measureText(endLabel).width, axisY);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
