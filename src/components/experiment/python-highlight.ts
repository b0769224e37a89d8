import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { PYTHON_THEMES } from './python-themes.ts';

/**
 * Re-highlights the experiment's Python in the browser when the reader changes a knob. Loaded on
 * that first change only: shiki's core, the Python grammar and two themes, no WebAssembly.
 */
let highlighter: Promise<HighlighterCore> | null = null;

export async function highlightPython(code: string): Promise<string> {
  highlighter ??= createHighlighterCore({
    themes: [
      import('shiki/themes/github-light-high-contrast.mjs'),
      import('shiki/themes/github-dark-high-contrast.mjs'),
    ],
    langs: [import('shiki/langs/python.mjs')],
    engine: createJavaScriptRegexEngine(),
  });
  return (await highlighter).codeToHtml(code, {
    lang: 'python',
    themes: PYTHON_THEMES,
    defaultColor: false,
  });
}
