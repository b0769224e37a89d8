/**
 * The output box keeps the last lines of a long run, draws a first chunk at once and then at most
 * once per animation frame, keeps stderr apart, and names a thread once per line. A minimal
 * stand-in for the DOM it touches, and a clock the tests move.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CHARS, MAX_LINES, OutputView } from '../../../src/components/python/python-output.ts';

class FakeText {
  constructor(public data: string) {}
  appendData(s: string): void {
    this.data += s;
  }
  deleteData(at: number, n: number): void {
    this.data = this.data.slice(0, at) + this.data.slice(at + n);
  }
}

class FakeSpan {
  className = '';
  firstChild: FakeText | null = null;
  parent: FakePre | null = null;
  append(t: FakeText): void {
    this.firstChild = t;
  }
  remove(): void {
    this.parent?.children.splice(this.parent.children.indexOf(this), 1);
  }
}

class FakePre {
  children: FakeSpan[] = [];
  scrollTop = 0;
  clientHeight = 100;
  get scrollHeight(): number {
    return this.children.length * 10;
  }
  append(s: FakeSpan): void {
    s.parent = this;
    this.children.push(s);
  }
  replaceChildren(): void {
    this.children = [];
  }
  get text(): string {
    return this.children.map((c) => c.firstChild?.data ?? '').join('');
  }
}

let frames: (() => void)[] = [];
const g = globalThis as Record<string, unknown>;
/** performance.now() as the output box sees it, ms. */
let clock = 1000;

beforeEach(() => {
  frames = [];
  clock = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  g.requestAnimationFrame = (cb: () => void) => frames.push(cb);
  g.cancelAnimationFrame = () => undefined;
  g.document = {
    createElement: () => new FakeSpan(),
    createTextNode: (s: string) => new FakeText(s),
  };
});
afterEach(() => {
  vi.restoreAllMocks();
  delete g.requestAnimationFrame;
  delete g.cancelAnimationFrame;
  delete g.document;
});

function setup() {
  const pre = new FakePre();
  const note = { hidden: true, textContent: '' };
  const view = new OutputView(pre as unknown as HTMLElement, note as unknown as HTMLElement);
  const frame = () => frames.splice(0).forEach((f) => f());
  return { pre, note, view, frame };
}

describe('OutputView', () => {
  it('draws a first chunk at once, then at most once per frame, merging chunks of one stream', () => {
    const { pre, view, frame } = setup();
    for (let i = 0; i < 100; i++) view.write('MainThread', 'stdout', `${i}\n`);
    // The first line at once (a run's first output shows without waiting for a frame) …
    expect(pre.text).toBe('0\n');
    // … the 99 after it within the same frame at that frame, into the same text node.
    expect(frames).toHaveLength(1);
    frame();
    expect(pre.children).toHaveLength(1);
    expect(pre.text.split('\n')).toHaveLength(101);
    // Less than a frame after that draw: the next chunks wait for the next frame.
    clock += 5;
    view.write('MainThread', 'stderr', 'oops\n');
    view.write('MainThread', 'stdout', 'more\n');
    expect(pre.children).toHaveLength(1);
    frame();
    expect(pre.children.map((c) => c.className)).toEqual(['py-stdout', 'py-stderr', 'py-stdout']);
    expect(pre.text.split('\n').slice(-3)).toEqual(['oops', 'more', '']);
    // A frame's worth of quiet later, a chunk is drawn at once again.
    clock += 20;
    view.write('MainThread', 'stdout', 'later\n');
    expect(frames).toHaveLength(0);
    expect(pre.text.endsWith('later\n')).toBe(true);
  });

  it('keeps the last lines of a long run and says how many earlier ones are not shown', () => {
    const { pre, note, view, frame } = setup();
    for (let i = 0; i < 100_000; i++) {
      view.write('MainThread', 'stdout', `${i}\n`);
      if (i % 997 === 0) frame();
    }
    view.finish();
    const lines = pre.text.split('\n');
    expect(lines).toHaveLength(MAX_LINES + 1);
    expect(lines[0]).toBe('98000');
    expect(lines.at(-2)).toBe('99999');
    expect(note.hidden).toBe(false);
    expect(note.textContent).toContain('98,000 earlier lines not shown');
    expect(view.totalLines).toBe(100_000);
  });

  it('keeps the end of one printed line longer than the box keeps', () => {
    const { pre, note, view } = setup();
    const line = 'x'.repeat(300_000) + 'THE END';
    for (let i = 0; i < line.length; i += 64 * 1024)
      view.write('MainThread', 'stdout', line.slice(i, i + 64 * 1024));
    view.write('MainThread', 'stdout', '\n');
    view.finish();
    expect(pre.text.length).toBe(MAX_CHARS);
    expect(pre.text.endsWith('THE END\n')).toBe(true);
    expect(note.hidden).toBe(false);
    expect(note.textContent).toContain('earlier output not shown');
  });

  it('names a thread once per line, however its lines arrive in pieces', () => {
    const { pre, view } = setup();
    const t = 'ThreadPoolExecutor-0_0';
    view.write(t, 'stdout', 'a');
    view.write(t, 'stdout', 'b');
    view.write(t, 'stdout', 'c\nd\ne');
    view.write(t, 'stdout', '\n');
    view.write('MainThread', 'stdout', 'main\n');
    view.finish();
    expect(pre.text).toBe(`[${t}] abc\n[${t}] d\n[${t}] e\nmain\n`);
  });

  it('starts another writer on a new line when the previous one left it open', () => {
    const { pre, view } = setup();
    view.write('Thread-1', 'stdout', 'half');
    view.write('MainThread', 'stdout', 'main\n');
    view.write('Thread-1', 'stdout', ' rest\n');
    view.finish();
    expect(pre.text).toBe('[Thread-1] half\nmain\n[Thread-1]  rest\n');
  });
});
