/**
 * The output box of a run: chunks of stdout/stderr arrive as fast as a program prints (one per
 * line), so they are buffered and drawn at most about once per animation frame (a chunk after
 * a frame's worth of quiet is drawn at once: a run's first line shows without waiting for the
 * next frame; what follows within that frame waits for it), merged into one text
 * node per run of the same writer, and only the last lines are kept (with a note at the top
 * saying how many earlier lines are not shown). A `while True: print(i)` then costs the page a
 * string append per line and one small DOM update per frame: Stop stays clickable.
 *
 * The text in the box is exactly what the program printed, in the order it arrived (nothing
 * added, not even a line break between two writers): what a reader copies or compares with a
 * lesson's block is CPython's output. Which thread or process printed a line is shown beside
 * the text, not in it: each line a thread other than the main one starts is its own `<span>`
 * whose `data-thread` names the thread, drawn by CSS as a tag before the line (python.css,
 * generated content, so it is neither selected nor copied, and its alternative text is empty,
 * so screen readers read the program's output alone). A writer that continues a line another
 * one started is tagged there too.
 */

/** Lines kept in the box (the note counts the rest). */
export const MAX_LINES = 2_000;
/** Characters kept in the box, for programs printing few but very long lines. */
export const MAX_CHARS = 200_000;
/** Trim once the kept output is this much over the limits, so trimming is rare. */
const SLACK = 1.25;
/** One frame at 60 Hz, ms: output drawn longer ago than this lets the next chunk draw at once. */
const FRAME_MS = 16;

type Stream = 'stdout' | 'stderr';

/** The label of the program's main thread: its lines carry no tag. */
const MAIN = 'MainThread';

/** A run of output from one writer (thread or process, and stream), drawn as one `<span>`. */
interface Segment {
  label: string;
  stream: Stream;
  /** The writer's name shown before the segment (never part of `text`), or null for none. */
  tag: string | null;
  text: string;
  /** Characters of `text` already in the DOM (its text node). */
  drawn: number;
  span: HTMLSpanElement | null;
}

/** Shows `tag` before the span's text (python.css draws `data-thread`), or no tag. */
function setTag(span: HTMLSpanElement, tag: string | null): void {
  if (tag === null) delete span.dataset.thread;
  else span.dataset.thread = tag;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index just after the `n`-th newline of `text` (its length if it has fewer). */
function afterLines(text: string, n: number): number {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return text.length;
    at = nl + 1;
  }
  return at;
}

export class OutputView {
  readonly #pre: HTMLElement;
  readonly #note: HTMLElement;
  #segments: Segment[] = [];
  #keptLines = 0;
  #keptChars = 0;
  #droppedLines = 0;
  #droppedChars = 0;
  #totalLines = 0;
  #frame = 0;
  /** When output was last drawn (performance.now()). */
  #drawnAt = -Infinity;
  /** The thread that wrote last ('' before the first write). */
  #lastLabel = '';
  #endsWithNewline = true;

  constructor(pre: HTMLElement, note: HTMLElement) {
    this.#pre = pre;
    this.#note = note;
  }

  /** Empties the box for a new run. */
  reset(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#segments = [];
    this.#keptLines = this.#keptChars = this.#droppedLines = this.#droppedChars = 0;
    this.#totalLines = 0;
    this.#lastLabel = '';
    this.#endsWithNewline = true;
    this.#pre.replaceChildren();
    this.#note.hidden = true;
    this.#note.textContent = '';
  }

  /** Lines the run printed so far (a last line without a newline counts too). */
  get totalLines(): number {
    return this.#totalLines + (this.#endsWithNewline ? 0 : 1);
  }

  get droppedLines(): number {
    return this.#droppedLines;
  }

  /**
   * Adds a chunk `label` (a thread's or process's name) printed; drawn now after a frame's worth
   * of quiet, else at the next frame.
   */
  write(label: string, stream: Stream, chunk: string): void {
    if (chunk === '') return;
    if (label === MAIN) this.#append(label, stream, chunk);
    else {
      // One segment per line, so that each line a thread starts carries its tag.
      for (let i = 0; i < chunk.length;) {
        const nl = chunk.indexOf('\n', i);
        const end = nl === -1 ? chunk.length : nl + 1;
        this.#append(label, stream, chunk.slice(i, end));
        i = end;
      }
    }
    if (this.#keptLines > MAX_LINES * SLACK || this.#keptChars > MAX_CHARS * SLACK) this.#trim();
    if (this.#frame !== 0) return;
    if (performance.now() - this.#drawnAt >= FRAME_MS) this.#draw();
    else
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#draw();
      });
  }

  /** Appends `text` (for a thread other than the main one: at most one line) to the output. */
  #append(label: string, stream: Stream, text: string): void {
    const lineStart = this.#endsWithNewline;
    const last = this.#segments.at(-1);
    // The main thread's lines run on in one segment; another thread's line ends its segment.
    const joins =
      last !== undefined &&
      last.label === label &&
      last.stream === stream &&
      this.#lastLabel === label &&
      (label === MAIN || !lineStart);
    if (joins) last.text += text;
    else {
      const tagged = lineStart ? label !== MAIN : label !== this.#lastLabel;
      this.#segments.push({
        label,
        stream,
        tag: tagged ? label : null,
        text,
        drawn: 0,
        span: null,
      });
    }
    this.#lastLabel = label;
    this.#endsWithNewline = text.endsWith('\n');
    const lines = countLines(text);
    this.#totalLines += lines;
    this.#keptLines += lines;
    this.#keptChars += text.length;
  }

  /** Draws what is left at once (the run ended); trims to the exact limits. */
  finish(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#trim();
    this.#draw();
  }

  /** Drops whole lines from the top until the kept output fits the limits. */
  #trim(): void {
    let gone = 0; // segments dropped whole, removed from the array at once at the end
    while (this.#keptLines > MAX_LINES || this.#keptChars > MAX_CHARS) {
      const first = this.#segments[gone];
      if (!first) break;
      let cut = afterLines(first.text, Math.max(0, this.#keptLines - MAX_LINES));
      const excessChars = this.#keptChars - MAX_CHARS;
      if (excessChars > cut) {
        const nl = first.text.indexOf('\n', excessChars - 1);
        const lineEnd = nl === -1 ? first.text.length : nl + 1;
        if (lineEnd < first.text.length || this.#segments.length > gone + 1) cut = lineEnd;
        else {
          // One line longer than the box keeps: keep its end (dropping it whole emptied the box).
          cut = excessChars;
          const unit = first.text.charCodeAt(cut);
          if (unit >= 0xdc00 && unit <= 0xdfff) cut++; // never split a surrogate pair
        }
      }
      if (cut === 0) break;
      const removed = first.text.slice(0, cut);
      const lines = countLines(removed);
      this.#keptLines -= lines;
      this.#droppedLines += lines;
      this.#keptChars -= cut;
      this.#droppedChars += cut;
      if (cut >= first.text.length) {
        first.span?.remove();
        gone++;
        continue;
      }
      // Cut after a newline, the segment now starts a line: tagged as a line it started.
      if (removed.endsWith('\n')) first.tag = first.label === MAIN ? null : first.label;
      first.text = first.text.slice(cut);
      if (first.span) {
        const drawnCut = Math.min(cut, first.drawn);
        (first.span.firstChild as Text).deleteData(0, drawnCut);
        first.drawn -= drawnCut;
        setTag(first.span, first.tag);
      }
    }
    if (gone > 0) this.#segments.splice(0, gone);
  }

  #draw(): void {
    this.#drawnAt = performance.now();
    const pre = this.#pre;
    const stick = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 8;
    for (const s of this.#segments) {
      if (s.drawn === s.text.length) continue;
      if (s.span) (s.span.firstChild as Text).appendData(s.text.slice(s.drawn));
      else {
        s.span = document.createElement('span');
        s.span.className = s.stream === 'stderr' ? 'py-stderr' : 'py-stdout';
        setTag(s.span, s.tag);
        s.span.append(document.createTextNode(s.text.slice(s.drawn)));
        pre.append(s.span);
      }
      s.drawn = s.text.length;
    }
    if (this.#droppedLines > 0 || this.#droppedChars > 0) {
      this.#note.hidden = false;
      this.#note.textContent =
        this.#droppedLines > 0
          ? `… ${this.#droppedLines.toLocaleString('en')} earlier line${this.#droppedLines === 1 ? '' : 's'} not shown (only the last ${MAX_LINES.toLocaleString('en')} lines are kept)`
          : `… earlier output not shown (only the last ${MAX_CHARS / 1000} kB are kept)`;
    }
    if (stick) pre.scrollTop = pre.scrollHeight;
  }
}
