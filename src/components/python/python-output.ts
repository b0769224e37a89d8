/**
 * The output box of a run: chunks of stdout/stderr arrive as fast as a program prints (one per
 * line), so they are buffered and drawn at most about once per animation frame (a chunk after a
 * frame's worth of quiet is drawn at once: a run's first line shows without waiting for the next
 * frame; what follows it within the frame waits for that frame), merged into one text
 * node per run of the same stream, and only the last lines are kept (with a note at the top
 * saying how many earlier lines are not shown). A `while True: print(i)` then costs the page a
 * string append per line and one small DOM update per frame: Stop stays clickable.
 * Each thread's or process's lines start with its name; the name goes at the start of every
 * line, not of every chunk, so `print(..., end='')` does not repeat it mid-line.
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

interface Segment {
  stream: Stream;
  text: string;
  /** Characters of `text` already in the DOM (its text node). */
  drawn: number;
  span: HTMLSpanElement | null;
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
  /** Per writer (label + stream): does its next character start a line? */
  #atLineStart = new Map<string, boolean>();
  #lastWriter = '';
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
    this.#atLineStart.clear();
    this.#lastWriter = '';
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

  /** Adds a chunk; drawn now after a frame's worth of quiet, else at the next animation frame. */
  write(label: string, stream: Stream, chunk: string): void {
    if (chunk === '') return;
    const writer = `${label}\u0000${stream}`;
    const prefix = label === 'MainThread' ? '' : `[${label}] `;
    let text = '';
    let atStart = this.#atLineStart.get(writer) ?? true;
    // Another writer wrote last: ours goes on a line of its own, named again.
    if (writer !== this.#lastWriter) {
      if (!this.#endsWithNewline) text = '\n';
      atStart = true;
    }
    if (prefix) {
      for (let i = 0; i < chunk.length;) {
        const nl = chunk.indexOf('\n', i);
        const end = nl === -1 ? chunk.length : nl + 1;
        if (atStart) text += prefix;
        text += chunk.slice(i, end);
        atStart = nl !== -1;
        i = end;
      }
    } else {
      text += chunk;
      atStart = chunk.endsWith('\n');
    }
    this.#atLineStart.set(writer, atStart);
    this.#lastWriter = writer;
    this.#endsWithNewline = text.endsWith('\n');

    const lines = countLines(text);
    this.#totalLines += lines;
    this.#keptLines += lines;
    this.#keptChars += text.length;
    const last = this.#segments.at(-1);
    if (last && last.stream === stream) last.text += text;
    else this.#segments.push({ stream, text, drawn: 0, span: null });
    if (this.#keptLines > MAX_LINES * SLACK || this.#keptChars > MAX_CHARS * SLACK) this.#trim();
    if (this.#frame !== 0) return;
    if (performance.now() - this.#drawnAt >= FRAME_MS) this.#draw();
    else
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#draw();
      });
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
    while (this.#keptLines > MAX_LINES || this.#keptChars > MAX_CHARS) {
      const first = this.#segments[0];
      if (!first) break;
      let cut = afterLines(first.text, Math.max(0, this.#keptLines - MAX_LINES));
      const excessChars = this.#keptChars - MAX_CHARS;
      if (excessChars > cut) {
        const nl = first.text.indexOf('\n', excessChars - 1);
        const lineEnd = nl === -1 ? first.text.length : nl + 1;
        if (lineEnd < first.text.length || this.#segments.length > 1) cut = lineEnd;
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
        this.#segments.shift();
        continue;
      }
      first.text = first.text.slice(cut);
      if (first.span) {
        const drawnCut = Math.min(cut, first.drawn);
        (first.span.firstChild as Text).deleteData(0, drawnCut);
        first.drawn -= drawnCut;
      }
    }
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
