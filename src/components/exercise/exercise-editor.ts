import { python } from '@codemirror/lang-python';
import { syntaxHighlighting } from '@codemirror/language';
import { keymap, EditorView } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import type { GilExercise } from './exercise-element.ts';

/**
 * An exercise's editor: CodeMirror 6 as in Run Python blocks (python.css colours its tokens).
 * Tab is left to the browser so keyboard users can leave it; Ctrl/Cmd+Enter runs Check.
 */
export function mountEditor(
  el: GilExercise,
  code: string,
  onChange: (code: string) => void,
  onCheck: () => void,
): { get: () => string; set: (code: string) => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const view = new EditorView({
    doc: code,
    parent: el.find('[data-editor]'),
    extensions: [
      keymap.of([{ key: 'Mod-Enter', run: () => (onCheck(), true) }]),
      basicSetup,
      python(),
      syntaxHighlighting(classHighlighter),
      EditorView.contentAttributes.of({
        'aria-label': `Your Python code: ${el.dataset.filename ?? 'exercise.py'}`,
        tabindex: '0',
      }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        clearTimeout(timer);
        timer = setTimeout(() => onChange(update.state.doc.toString()), 300);
      }),
    ],
  });
  el.find('[data-static]').hidden = true;
  el.find('[data-editor]').hidden = false;
  el.dataset.editor = 'ready';
  return {
    get: () => view.state.doc.toString(),
    set: (text) => {
      clearTimeout(timer);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      view.focus();
    },
  };
}
