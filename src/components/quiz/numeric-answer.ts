/**
 * Reads a number the way people type it: "5", "0.5", ".5", "1,5" (decimal comma), "78,400" or
 * "78 400" (thousands), "-3", "1e3", with an optional trailing unit ("5 ms", "2x"). A fraction
 * ("1/20") is divided out. A percentage ("5%") means 0.05, unless the question's own unit is "%",
 * where the reader is typing percent anyway and "5%" means 5. Returns null for anything else, so
 * the quiz can ask for a number instead of judging nonsense.
 */
export function parseNumericAnswer(input: string, questionUnit?: string): number | null {
  const compact = input.trim().replace(/[\s_\u00a0]/g, '');
  const fraction = /^([-+]?[\d.,]+)\/([\d.,]+)$/.exec(compact);
  if (fraction) {
    const top = parsePlainNumber(fraction[1] ?? '');
    const bottom = parsePlainNumber(fraction[2] ?? '');
    if (top === null || bottom === null || bottom === 0) return null;
    return top / bottom;
  }
  if (compact.endsWith('%')) {
    const value = parsePlainNumber(compact.slice(0, -1));
    if (value === null) return null;
    return questionUnit?.trim() === '%' ? value : value / 100;
  }
  return parsePlainNumber(compact);
}

/** One number, with an optional trailing unit; no fraction, no percent sign. */
function parsePlainNumber(compact: string): number | null {
  let cleaned = compact.replace(/^([-+]?[\d.,]+(?:e[-+]?\d+)?)[^\d.,%/]*$/i, '$1'); // drop a trailing unit
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned)) cleaned = cleaned.replace(/,/g, '');
  else if (/^[-+]?\d*,\d+$/.test(cleaned)) cleaned = cleaned.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** Where a reply falls relative to answer ± tolerance. */
export type NumericVerdict = 'right' | 'low' | 'high';

/** Compares a reply with the answer; a hair of slack absorbs floating-point noise (0.1 + 0.2). */
export function judgeNumeric(value: number, answer: number, tolerance: number): NumericVerdict {
  const slack = tolerance + Math.abs(answer) * 1e-9;
  if (value < answer - slack) return 'low';
  if (value > answer + slack) return 'high';
  return 'right';
}
