import type { TimelineReader, TimelineSnapshot } from '../../runtime/index.ts';
import type { TimelineCanvas } from './timeline-canvas.ts';

/** The element around a TimelineFigure: it finds the figure's parts. */
export interface TimelineHost {
  find<T extends HTMLElement = HTMLElement>(selector: string): T;
}

/**
 * Keeps an experiment's canvas in step with a run: polls the shared timeline once per animation
 * frame (never more), honours the zoom controls, and with prefers-reduced-motion draws only the
 * finished timeline.
 */
export class LiveTimeline {
  readonly #el: TimelineHost;
  readonly #canvas: TimelineCanvas;
  #reader: TimelineReader | null = null;
  #frame = 0;
  #endMs = 0;
  #live = false;
  #pending = 0;
  /** When the last live frame was drawn and how long drawing it took (performance.now, ms). */
  #drawnAt = -Infinity;
  #drawMs = 0;

  constructor(el: TimelineHost, canvas: TimelineCanvas) {
    this.#el = el;
    this.#canvas = canvas;
    const zoom = el.find<HTMLSelectElement>('[data-zoom]');
    const pan = el.find<HTMLInputElement>('[data-pan]');
    zoom.addEventListener('change', () => {
      el.find('[data-pan-label]').hidden = zoom.value === '0';
      this.#redrawSoon();
    });
    pan.addEventListener('input', () => this.#redrawSoon());
    addEventListener('resize', () => this.#redrawSoon());
  }

  get #reducedMotion(): boolean {
    return matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /** Starts following a run's timeline. */
  start(reader: TimelineReader): void {
    this.stop();
    this.#reader = reader;
    this.#canvas.reset(reader.lanes);
    const figure = this.#el.find('[data-timeline]');
    figure.hidden = false;
    // How many frames were drawn live: lets tests (and curious readers) see reduced motion at work.
    figure.dataset.liveFrames = '0';
    delete figure.dataset.firstMotion;
    if (this.#reducedMotion) return;
    const tick = () => {
      this.#pull();
      figure.dataset.liveFrames = String(Number(figure.dataset.liveFrames) + 1);
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  /** Stops following (the run ended or was stopped); the last frame stays drawn. */
  stop(): void {
    cancelAnimationFrame(this.#frame);
    // The last frame is always drawn, whatever the frame budget skipped.
    this.#drawnAt = -Infinity;
    if (this.#reader && !this.#reducedMotion) this.#pull();
    this.#reader = null;
  }

  /**
   * Draws a finished run from its snapshot (always, also with reduced motion): every lane, a
   * process pool's parent and its start-up included (timeline-model.ts).
   */
  showFinal(snapshot: TimelineSnapshot): void {
    this.#canvas.reset(snapshot.lanes);
    for (const lane of snapshot.lanes) this.#canvas.add(lane.lane, lane.events);
    this.#endMs = snapshot.endMs;
    this.#live = false;
    this.#el.find('[data-timeline]').hidden = false;
    this.redraw();
  }

  #pull(): void {
    const reader = this.#reader;
    if (!reader) return;
    const figure = this.#el.find('[data-timeline]');
    for (const { lane, events } of reader.poll()) {
      this.#canvas.add(lane, events);
      // When the lanes first moved (a thread computing or waiting on I/O), on the page's clock:
      // the bench times First Run with it (click → lanes moving).
      if (
        !figure.dataset.firstMotion &&
        events.some((e) => e.state === 'running' || e.state === 'io')
      )
        figure.dataset.firstMotion = String(performance.now());
    }
    this.#endMs = reader.now();
    this.#live = true;
    // Drawing takes at most about a tenth of the page's main thread: a run with thousands of
    // spans draws less often rather than starving the page (which relays a process pool's tasks:
    // drawing every frame made a 2,000-task pool.map take 53 s instead of a few).
    const now = performance.now();
    if (now - this.#drawnAt < 9 * this.#drawMs) return;
    this.#drawnAt = now;
    this.redraw();
    this.#drawMs = performance.now() - now;
  }

  /** Redraws at the next frame (zoom, pan and resize come faster than frames); once per frame. */
  #redrawSoon(): void {
    // A live run (without reduced motion) redraws every frame anyway.
    if (this.#pending || (this.#reader && !this.#reducedMotion)) return;
    this.#pending = requestAnimationFrame(() => {
      this.#pending = 0;
      this.redraw();
    });
  }

  /** Draws with the current zoom and pan. */
  redraw(): void {
    cancelAnimationFrame(this.#pending);
    this.#pending = 0;
    const windowMs = Number(this.#el.find<HTMLSelectElement>('[data-zoom]').value);
    const position = Number(this.#el.find<HTMLInputElement>('[data-pan]').value) / 1000;
    this.#canvas.draw(this.#endMs, windowMs, windowMs > 0 ? position : 1, this.#live);
  }
}
