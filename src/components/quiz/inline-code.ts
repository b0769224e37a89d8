/** One run of quiz text: plain, or inline code (between backticks in the source). */
export interface TextRun {
  code: boolean;
  text: string;
}

/**
 * Splits quiz text on backticks so `code` renders as <code>. Quiz text is plain text, not
 * Markdown: this is the one piece of markup it needs, and it keeps the text free of raw HTML.
 */
export function inlineCode(text: string): TextRun[] {
  return text
    .split('`')
    .map((part, index) => ({ code: index % 2 === 1, text: part }))
    .filter((run) => run.text !== '');
}
