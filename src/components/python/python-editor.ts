import { python } from '@codemirror/lang-python';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import type { PythonHost } from './python-host.ts';

/**
 * The code editor of a runnable Python block: CodeMirror 6 with Python highlighting. Tokens get
 * classes (classHighlighter) that python.css colours for light and dark themes. Tab is left to
 * the browser, so keyboard users can always leave the editor.
 */
const views = new WeakMap<PythonHost, EditorView>();

/** Shows an editor with the block's code in place of the static block; returns its reader. */
export function mountEditor(el: PythonHost): () => string {
  let view = views.get(el);
  if (!view) {
    const parent = el.find('[data-editor]');
    view = new EditorView({
      doc: el.original,
      parent,
      extensions: [
        basicSetup,
        python(),
        syntaxHighlighting(classHighlighter),
        // tabindex: the (already focusable) text is what makes the scrolling region reachable by
        // keyboard; axe only counts it as focusable with an explicit tabindex.
        EditorView.contentAttributes.of({
          'aria-label': `Python code: ${el.dataset.filename}`,
          tabindex: '0',
        }),
      ],
    });
    views.set(el, view);
  }
  el.find('[data-static]').hidden = true;
  el.find('[data-editor]').hidden = false;
  view.focus();
  const editor = view;
  return () => editor.state.doc.toString();
}

/** Puts the lesson's original code back into the editor. */
export function resetEditor(el: PythonHost): void {
  const view = views.get(el);
  if (!view) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: el.original } });
  view.focus();
}
