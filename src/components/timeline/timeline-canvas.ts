import type { LaneInfo, ThreadState, TimelineEvent } from '../../runtime/index.ts';
import { TimelineModel } from './timeline-model.ts';

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

  /** Starts a new run's drawing. */
  reset(lanes: readonly LaneInfo[]): void {
    this.#model.reset(lanes);
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
    // Each colour is read from the page's CSS once per frame: reading it once per span cost more
    // than all the drawing (a 1,000-task process pool spent 1.4 s of its main thread in it).
    const style = getComputedStyle(canvas);
    const colours = new Map<string, string>();
    const colour = (v: string) => {
      let c = colours.get(v);
      if (c === undefined) colours.set(v, (c = style.getPropertyValue(v).trim() || '#888'));
      return c;
    };
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
      // Bars of one colour that touch are filled as one rectangle, and bars narrower than a
      // pixel are pooled per pixel column, drawn in the colour of the state that filled most of
      // it: a run of thousands of short tasks costs about one fill per column, not one per span.
      let fill = '';
      let left = 0;
      let right = 0;
      const flush = () => {
        if (fill === '') return;
        ctx.fillStyle = fill;
        ctx.fillRect(left, y, Math.max(1, right - left), LANE_HEIGHT);
        fill = '';
      };
      const put = (barFill: string, barLeft: number, barRight: number) => {
        if (barFill === fill && barLeft <= right + 0.5) {
          right = Math.max(right, barRight);
          return;
        }
        flush();
        fill = barFill;
        left = barLeft;
        right = barRight;
      };
      let column = -1;
      const columnTime = new Map<string, number>();
      const flushColumn = () => {
        if (column < 0) return;
        let most = '';
        let mostTime = -1;
        for (const [f, t] of columnTime) if (t > mostTime) [most, mostTime] = [f, t];
        put(most, column, column + 1);
        column = -1;
        columnTime.clear();
      };
      for (const s of spans) {
        const variable = COLOUR_VARS[s.state];
        if (!variable) continue;
        const end = s === last && s.state !== 'done' ? Math.max(s.start, endMs) : s.end;
        const bar = { start: s.start, end };
        if (bar.end < from || bar.start > to) continue;
        const barLeft = Math.max(LABEL_WIDTH, x(bar.start));
        const barRight = Math.min(width - RIGHT_PAD, x(bar.end));
        const barFill = colour(variable);
        if (barRight - barLeft >= 1) {
          flushColumn();
          put(barFill, barLeft, barRight);
          continue;
        }
        const at = Math.floor(barLeft);
        if (at !== column) {
          flushColumn();
          column = at;
        }
        columnTime.set(barFill, (columnTime.get(barFill) ?? 0) + (barRight - barLeft));
      }
      flushColumn();
      flush();
    });
    // Hand-offs: a tick down the lane that took the GIL, with a small head at its top (one per
    // pixel column and lane: more would draw the same pixels again).
    ctx.fillStyle = colour('--gil-handoff');
    const lastMark = new Map<number, number>();
    for (const h of model.handoffs.marks()) {
      if (h.t < from || h.t > to) continue;
      const hx = x(h.t);
      if (Math.abs(hx - (lastMark.get(h.lane) ?? -Infinity)) < 1) continue;
      lastMark.set(h.lane, hx);
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
