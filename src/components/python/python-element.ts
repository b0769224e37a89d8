/**
 * <gil-python>: the part of a runnable Python block that loads with the page. It only wires the
 * buttons; the editor (CodeMirror) loads on "Edit code", and Pyodide plus the runner on
 * "Run Python" (./python-run.ts). Nothing of Pyodide loads before the reader asks.
 */
// data-state values: idle, loading, running, done, error, stopped, unsupported.

import { isolationSettled, liveUnavailable } from '../isolation/live-support.ts';
import type { PythonHost } from './python-host.ts';

type RunModule = typeof import('./python-run.ts');
type EditorModule = typeof import('./python-editor.ts');

class GilPython extends HTMLElement implements PythonHost {
  /** Returns the current source: the editor's once it exists, else the original. */
  source: () => string = () => this.original;
  #stop: (() => void) | null = null;
  #editor: Promise<EditorModule> | null = null;
  /** The run module, imported on the first Run (kept: a later Run starts without a module lookup). */
  #runner: Promise<RunModule> | null = null;

  get original(): string {
    return this.find<HTMLTextAreaElement>('[data-source]').value;
  }

  connectedCallback(): void {
    if (this.dataset.wired) return;
    this.dataset.wired = 'true';
    this.find('[data-run]').addEventListener('click', () => void this.run());
    this.find('[data-stop]').addEventListener('click', () => this.#stop?.());
    this.find('[data-edit]').addEventListener('click', () => void this.edit());
    this.find('[data-reset]').addEventListener('click', () => void this.reset());
    // Decide once the page knows it stays (a first visit may be reloaded for isolation).
    void isolationSettled().then(() => {
      const unavailable = liveUnavailable();
      if (!unavailable) return;
      this.dataset.state = 'unsupported';
      this.find('[data-unsupported-reason]').textContent = unavailable.message;
      this.find('[data-unsupported]').hidden = false;
      this.find<HTMLButtonElement>('[data-run]').disabled = true;
    });
  }

  find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector(selector) as T;
  }

  announce(message: string): void {
    this.find('[data-status]').textContent = message;
  }

  /** Replaces the highlighted block with an editor holding the same code. */
  async edit(): Promise<void> {
    await isolationSettled();
    this.#editor ??= import('./python-editor.ts');
    const { mountEditor } = await this.#editor;
    this.source = mountEditor(this);
    this.find('[data-edit]').hidden = true;
    this.find('[data-reset]').hidden = false;
  }

  async reset(): Promise<void> {
    const { resetEditor } = await (this.#editor ??= import('./python-editor.ts'));
    resetEditor(this);
    this.announce('Code reset to the lesson’s version.');
  }

  async run(): Promise<void> {
    await isolationSettled();
    const state = this.dataset.state;
    if (state === 'running' || state === 'loading' || state === 'unsupported') return;
    const runButton = this.find<HTMLButtonElement>('[data-run]');
    const stopButton = this.find<HTMLButtonElement>('[data-stop]');
    runButton.disabled = true;
    stopButton.disabled = false;
    stopButton.focus();
    this.dataset.state = 'loading';
    try {
      this.#runner ??= import('./python-run.ts');
      // A failed import (the network went away) is tried again on the next Run.
      const module = await this.#runner.catch((e: unknown) => {
        this.#runner = null;
        throw e;
      });
      await module.runPython(this, (stop) => (this.#stop = stop));
    } finally {
      this.#stop = null;
      const hadFocus = document.activeElement === stopButton;
      runButton.disabled = false;
      stopButton.disabled = true;
      if (hadFocus) runButton.focus();
    }
  }
}

if (!customElements.get('gil-python')) customElements.define('gil-python', GilPython);
