/**
 * What drawing a frame costs the page: a run of thousands of short tasks (a process pool's
 * pool.map) must not cost one fill and one CSS lookup per span every frame, or the page's main
 * thread, which relays the pool's tasks, starves and the run slows as it grows. A stand-in canvas
 * counts the calls; drawing stays correct (each state's colour where it ran).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LaneInfo, ThreadState, TimelineEvent } from '../../../src/runtime/index.ts';
import { TimelineCanvas } from '../../../src/components/timeline/timeline-canvas.ts';

const COLOURS: Record<string, string> = { '--gil-running': 'green', '--gil-waiting': 'grey' };

function fakeCanvas(width = 800) {
  const fills: { fill: string; x: number; w: number; y: number }[] = [];
  const ctx = {
    fillStyle: '',
    font: '',
    textBaseline: '',
    setTransform: () => undefined,
    clearRect: () => undefined,
    fillText: () => undefined,
    measureText: () => ({ width: 20 }),
    beginPath: () => undefined,
    moveTo: () => undefined,
    lineTo: () => undefined,
    fill: () => undefined,
    fillRect(x: number, y: number, w: number) {
      fills.push({ fill: this.fillStyle, x, w, y });
    },
  };
  const canvas = {
    width: 0,
    height: 0,
    clientWidth: width,
    dataset: {} as Record<string, string>,
    style: {} as Record<string, string>,
    getContext: () => ctx,
  };
  return { canvas: canvas as unknown as HTMLCanvasElement, fills };
}

let lookups = 0;
beforeEach(() => {
  lookups = 0;
  vi.stubGlobal('getComputedStyle', () => ({
    getPropertyValue: (v: string) => {
      lookups++;
      return COLOURS[v] ?? '#000';
    },
  }));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** One process lane doing `tasks` tasks of 0.1 ms with 0.05 ms between them, from t = 0. */
function manyTasks(tasks: number): { lanes: LaneInfo[]; events: TimelineEvent[] } {
  const events: TimelineEvent[] = [];
  let seq = 0;
  for (let i = 0; i < tasks; i++) {
    const t = i * 0.15;
    events.push({ t, seq: seq++, state: 'running' as ThreadState, task: i });
    events.push({ t: t + 0.1, seq: seq++, state: 'waiting' as ThreadState, task: null });
  }
  events.push({ t: tasks * 0.15, seq, state: 'done', task: null });
  return { lanes: [{ lane: 0, label: 'Process-1', kind: 'process', lock: 0 }], events };
}

describe('a frame of a long run', () => {
  it('costs fills per pixel column, not per span, and one CSS lookup per colour', () => {
    const { canvas, fills } = fakeCanvas(800);
    const drawing = new TimelineCanvas(canvas);
    const { lanes, events } = manyTasks(20_000);
    drawing.reset(lanes);
    drawing.add(0, events);
    drawing.draw(20_000 * 0.15);
    const bars = fills.filter((f) => f.y === 0 && f.w < 100);
    // 40,000 spans on 700 pixels: at most a fill or two per column.
    expect(bars.length).toBeLessThanOrEqual(2 * 800);
    expect(lookups).toBeLessThanOrEqual(4);
  });

  it('still draws each state in its colour where it ran', () => {
    const { canvas, fills } = fakeCanvas(800);
    const drawing = new TimelineCanvas(canvas);
    const events: TimelineEvent[] = [
      { t: 0, seq: 0, state: 'running', task: 0 },
      { t: 50, seq: 1, state: 'waiting', task: null },
      { t: 100, seq: 2, state: 'done', task: null },
    ];
    drawing.reset([{ lane: 0, label: 'Thread-1', kind: 'thread', lock: 0 }]);
    drawing.add(0, events);
    drawing.draw(100);
    const bars = fills.filter((f) => f.y === 0);
    expect(bars.map((b) => b.fill)).toEqual(['green', 'grey']);
    expect(bars[0]!.x + bars[0]!.w).toBeCloseTo(bars[1]!.x, 5);
  });
});

describe('a pixel column shared by many spans', () => {
  it('takes the colour of the state that filled most of it', () => {
    const { canvas, fills } = fakeCanvas(800);
    const drawing = new TimelineCanvas(canvas);
    // 10,000 cycles of 0.08 ms running then 0.02 ms waiting: mostly running, in every column.
    const events: TimelineEvent[] = [];
    let seq = 0;
    for (let i = 0; i < 10_000; i++) {
      events.push({ t: i * 0.1, seq: seq++, state: 'running', task: 0 });
      events.push({ t: i * 0.1 + 0.08, seq: seq++, state: 'waiting', task: null });
    }
    events.push({ t: 1000, seq, state: 'done', task: null });
    drawing.reset([{ lane: 0, label: 'Thread-1', kind: 'thread', lock: 0 }]);
    drawing.add(0, events);
    drawing.draw(1000);
    const bars = fills.filter((f) => f.y === 0);
    expect(new Set(bars.map((b) => b.fill))).toEqual(new Set(['green']));
    expect(bars.length).toBeLessThanOrEqual(3);
  });
});
