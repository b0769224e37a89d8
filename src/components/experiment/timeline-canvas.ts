import type { LaneInfo, ThreadState, TimelineEvent } from '../../runtime/index.ts';

/**
 * Draws a run's timeline on a canvas: one lane per thread or process, time across, a colour per
 * state, and a mark wherever the GIL passed to another thread. Events are appended as they are
 * polled, so drawing a frame costs one pass over the visible spans.
 */

interface Span {
  state: ThreadState;
  start: number;
  end: number;
}

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

export class TimelineCanvas {
  readonly #canvas: HTMLCanvasElement;
  #lanes: LaneInfo[] = [];
  #spans: Span[][] = [];
  /** Times at which a lane took a GIL that another lane held last: (lane, time). */
  #handoffs: { lane: number; t: number }[] = [];
  #lastHolder = new Map<number, number>();
  #t0 = Infinity;

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
  }

  /** Starts a new run's drawing. */
  reset(lanes: readonly LaneInfo[]): void {
    this.#lanes = [...lanes];
    this.#spans = lanes.map(() => []);
    this.#handoffs = [];
    this.#lastHolder.clear();
    this.#t0 = Infinity;
  }

  /** Appends newly polled events of one lane. */
  add(lane: number, events: readonly TimelineEvent[]): void {
    const spans = this.#spans[lane];
    const info = this.#lanes[lane];
    if (!spans || !info) return;
    for (const e of events) {
      this.#t0 = Math.min(this.#t0, e.t);
      const open = spans.at(-1);
      if (open) open.end = e.t;
      spans.push({ state: e.state, start: e.t, end: e.t });
      if (e.state === 'running' && info.lock !== null) {
        const previous = this.#lastHolder.get(info.lock);
        if (previous !== undefined && previous !== lane) this.#handoffs.push({ lane, t: e.t });
        this.#lastHolder.set(info.lock, lane);
      }
    }
  }

  /** Run time covered so far, ms. */
  span(endMs: number): number {
    return Number.isFinite(this.#t0) ? Math.max(0, endMs - this.#t0) : 0;
  }

  /**
   * Draws up to `endMs`. `windowMs` 0 shows the whole run; otherwise a window of that length whose
   * position runs from 0 (start) to 1 (end).
   */
  draw(endMs: number, windowMs = 0, position = 1): void {
    const canvas = this.#canvas;
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.max(200, canvas.clientWidth || 600);
    const height = this.#lanes.length * (LANE_HEIGHT + LANE_GAP) + 24;
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

    const total = this.span(endMs);
    const shown = windowMs > 0 ? Math.min(windowMs, total || windowMs) : total || 1;
    const from = (Number.isFinite(this.#t0) ? this.#t0 : endMs) + (total - shown) * position;
    const plotWidth = width - LABEL_WIDTH - 8;
    const x = (t: number) => LABEL_WIDTH + ((t - from) / shown) * plotWidth;

    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    this.#lanes.forEach((info, lane) => {
      const y = lane * (LANE_HEIGHT + LANE_GAP);
      ctx.fillStyle = text;
      ctx.fillText(info.label, 0, y + LANE_HEIGHT / 2, LABEL_WIDTH - 6);
      for (const s of this.#spans[lane] ?? []) {
        const end = s === this.#spans[lane]?.at(-1) && s.state !== 'done' ? endMs : s.end;
        const variable = COLOUR_VARS[s.state];
        if (!variable || end < from || s.start > from + shown) continue;
        const left = Math.max(LABEL_WIDTH, x(s.start));
        const right = Math.min(width - 8, x(end));
        ctx.fillStyle = colour(variable);
        ctx.fillRect(left, y, Math.max(1, right - left), LANE_HEIGHT);
      }
    });
    ctx.fillStyle = colour('--sl-color-white');
    for (const h of this.#handoffs) {
      if (h.t < from || h.t > from + shown) continue;
      const hx = x(h.t);
      const y = h.lane * (LANE_HEIGHT + LANE_GAP);
      ctx.beginPath();
      ctx.moveTo(hx - 4, y - 1);
      ctx.lineTo(hx + 4, y - 1);
      ctx.lineTo(hx, y + 5);
      ctx.fill();
    }
    ctx.fillStyle = text;
    const axisY = height - 10;
    ctx.fillText(
      `${formatMs(from - (Number.isFinite(this.#t0) ? this.#t0 : from))}`,
      LABEL_WIDTH,
      axisY,
    );
    const endLabel = formatMs(from + shown - (Number.isFinite(this.#t0) ? this.#t0 : from));
    ctx.fillText(endLabel, width - 8 - ctx.measureText(endLabel).width, axisY);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
