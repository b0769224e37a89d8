/**
 * The output box keeps the last lines of a long run, draws a first chunk at once and then at
 * most once per animation frame (a clock the tests move), keeps
 * stderr apart, keeps the text exactly what the program printed and tags each line a thread
 * starts with the thread's name outside the text. A minimal stand-in for the DOM it touches.
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
  dataset: Record<string, string> = {};
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
  /** What a sighted reader sees: each tag as `[name] ` before its span's text. */
  get shown(): string {
    return this.children
      .map((c) => (c.dataset.thread ? `[${c.dataset.thread}] ` : '') + (c.firstChild?.data ?? ''))
      .join('');
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

  it('keeps the text as printed and tags each line a thread starts, however it arrives in pieces', () => {
    const { pre, view } = setup();
    const t = 'ThreadPoolExecutor-0_0';
    view.write(t, 'stdout', 'a');
    view.write(t, 'stdout', 'b');
    view.write(t, 'stdout', 'c\nd\ne');
    view.write(t, 'stdout', '\n');
    view.write('MainThread', 'stdout', 'main\n');
    view.write('MainThread', 'stdout', 'more\n');
    view.finish();
    expect(pre.text).toBe('abc\nd\ne\nmain\nmore\n');
    expect(pre.shown).toBe(`[${t}] abc\n[${t}] d\n[${t}] e\nmain\nmore\n`);
    // The main thread's lines stay one span; the tag is an attribute, never a text node.
    expect(pre.children.map((c) => c.dataset.thread ?? null)).toEqual([t, t, t, null]);
    expect(view.totalLines).toBe(5);
  });

  it('adds no line break between writers: a line another writer continues is tagged there', () => {
    const { pre, view } = setup();
    view.write('Thread-1', 'stdout', 'half');
    view.write('MainThread', 'stdout', 'main\n');
    view.write('Thread-1', 'stdout', ' rest\n');
    view.write('Thread-1', 'stderr', 'Traceback\n');
    view.finish();
    expect(pre.text).toBe('halfmain\n rest\nTraceback\n');
    expect(pre.shown).toBe(
      '[Thread-1] half[MainThread] main\n[Thread-1]  rest\n[Thread-1] Traceback\n',
    );
    expect(pre.children.map((c) => c.className)).toEqual([
      'py-stdout',
      'py-stdout',
      'py-stdout',
      'py-stderr',
    ]);
    expect(view.totalLines).toBe(3);
  });

  it('keeps the last lines with their tags; a main-thread line cut to a line start loses its tag', () => {
    const { pre, note, view, frame } = setup();
    view.write('Thread-1', 'stdout', 'x');
    // The main thread continues Thread-1's line (tagged there), then prints on in the same span.
    for (let i = 0; i < 3 * MAX_LINES; i++) {
      view.write('MainThread', 'stdout', `${i}\n`);
      if (i % 499 === 0) frame();
    }
    for (let i = 0; i < 3; i++) view.write('Thread-2', 'stdout', `t${i}\n`);
    view.finish();
    const shown = pre.shown.split('\n');
    expect(shown).toHaveLength(MAX_LINES + 1);
    expect(shown[0]).toBe(String(3 * MAX_LINES - MAX_LINES + 3));
    expect(shown.slice(-4, -1)).toEqual(['[Thread-2] t0', '[Thread-2] t1', '[Thread-2] t2']);
    expect(pre.text.endsWith(`${3 * MAX_LINES - 1}\nt0\nt1\nt2\n`)).toBe(true);
    expect(note.textContent).toContain(`${(2 * MAX_LINES + 3).toLocaleString('en')} earlier lines`);
    expect(view.totalLines).toBe(3 * MAX_LINES + 3);
  });
});
