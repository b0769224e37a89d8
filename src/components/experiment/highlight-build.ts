import { codeToHtml } from 'shiki';
import { PYTHON_THEMES } from './python-themes.ts';

/** Build-time highlighting of the experiment's Python, so the page ships no highlighter. */
export function highlightPythonAtBuild(code: string): Promise<string> {
  return codeToHtml(code, { lang: 'python', themes: PYTHON_THEMES, defaultColor: false });
}
