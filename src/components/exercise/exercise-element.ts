/**
 * <gil-exercise>: the part of a "Your turn" exercise that loads with the page. It wires hints,
 * the solution, reset (asking first) and the solved mark; the editor (CodeMirror) loads when the
 * exercise comes near the viewport or the reader has code saved, and Pyodide with the check
 * engine on the first Check (./exercise-check.ts). The reader's code is saved as they type.
 */
import { progressPage } from '../progress/progress-page.ts';

/** data-state: idle, loading, running, then the verdict's status, or unsupported. */
export type ExerciseState = string;

type EditorModule = typeof import('./exercise-editor.ts');
type CheckModule = typeof import('./exercise-check.ts');

class GilExercise extends HTMLElement {
  #editor: Promise<{ get: () => string; set: (code: string) => void }> | null = null;
  #stop: (() => void) | null = null;
  #attempted = false;

  get exerciseId(): string {
    return this.dataset.exerciseId ?? '';
  }

  get starter(): string {
    return this.find<HTMLTextAreaElement>('[data-starter]').value;
  }

  find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector(selector) as T;
  }

  announce(message: string): void {
    this.find('[data-status]').textContent = message;
  }

  connectedCallback(): void {
    if (this.dataset.wired) return;
    this.dataset.wired = 'true';
    this.find('[data-check]').addEventListener('click', () => void this.check());
    this.find('[data-stop]').addEventListener('click', () => this.#stop?.());
    this.find('[data-hint]').addEventListener('click', () => this.#nextHint());
    this.find('[data-show-solution]').addEventListener('click', () => this.#showSolution());
    this.find('[data-reset]').addEventListener('click', () => this.#askReset());
    this.find('[data-editor]').addEventListener('focusin', () => this.#prepareOnce());
    this.find<HTMLDialogElement>('[data-reset-dialog]').addEventListener('close', (e) => {
      if ((e.target as HTMLDialogElement).returnValue === 'reset') void this.#reset();
      this.find('[data-reset]').focus();
    });
    if (!(globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function')) {
      this.dataset.state = 'unsupported';
      this.find('[data-unsupported]').hidden = false;
      this.find<HTMLButtonElement>('[data-check]').disabled = true;
      this.#allowSolution();
    }
    const { store } = progressPage();
    const render = () => this.#renderSolved();
    render();
    store.subscribe(render);
    // Only an attempt (a Check, kept in the progress store) unlocks the solution, not typing.
    if (store.wasChecked(this.exerciseId)) this.#allowSolution();
    if (store.exercise(this.exerciseId)?.code != null) {
      void this.editor();
    } else if ('IntersectionObserver' in globalThis) {
      const seen = new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            seen.disconnect();
            void this.editor();
          }
        },
        { rootMargin: '300px' },
      );
      seen.observe(this);
    } else {
      void this.editor();
    }
  }

  /**
   * An exercise whose checks start processes: the first time the reader goes into its editor,
   * their interpreters start booting (seconds each), so the Check judges the program and not
   * Pyodide's start-up. Other exercises load nothing before Check.
   */
  #prepareOnce(): void {
    if (this.dataset.prepared) return;
    this.dataset.prepared = 'true';
    const json = this.find('[data-exercise]').textContent ?? '';
    if (!json.includes('"kind":"process"') || !globalThis.crossOriginIsolated) return;
    void Promise.all([this.editor(), import('./exercise-check.ts')]).then(([editor, m]) =>
      m.prepareCheck(this, editor.get()),
    );
  }

  /** The editor, mounted once with the reader's saved code (or the starter). */
  editor(): Promise<{ get: () => string; set: (code: string) => void }> {
    this.#editor ??= import('./exercise-editor.ts').then((m: EditorModule) => {
      const { store } = progressPage();
      const saved = store.exercise(this.exerciseId)?.code ?? null;
      return m.mountEditor(
        this,
        saved ?? this.starter,
        (code) => {
          // Saved as typed; the starter itself is not worth a slot in storage.
          const kept = store.saveExerciseCode(this.exerciseId, code === this.starter ? null : code);
          this.dataset.saved = kept ? 'saved' : 'too-long';
        },
        () => void this.check(),
      );
    });
    return this.#editor;
  }

  #renderSolved(): void {
    const solved = progressPage().store.isSolved(this.exerciseId);
    this.find('[data-solved]').hidden = !solved;
    this.toggleAttribute('data-solved', solved);
  }

  #nextHint(): void {
    const items = [...this.querySelectorAll<HTMLElement>('[data-hint-item]')];
    const next = items.findIndex((li) => li.hidden);
    if (next < 0) return;
    items[next]!.hidden = false;
    const button = this.find<HTMLButtonElement>('[data-hint]');
    const shown = next + 1;
    if (shown === items.length) {
      button.textContent = `All ${items.length} hints shown`;
      button.disabled = true;
    } else {
      button.textContent = `Show hint ${shown + 1} of ${items.length}`;
    }
    this.announce(`Hint ${shown} of ${items.length}: ${items[next]!.textContent?.trim() ?? ''}`);
  }

  #allowSolution(): void {
    this.find<HTMLButtonElement>('[data-show-solution]').disabled = false;
    this.find('[data-solution-note]').hidden = true;
  }

  #showSolution(): void {
    const panel = this.find('[data-solution]');
    const show = panel.hidden === true;
    panel.hidden = !show;
    this.find('[data-workspace]').classList.toggle('ex-side-by-side', show);
    const button = this.find('[data-show-solution]');
    button.textContent = show ? 'Hide the solution' : 'Show a solution';
    button.setAttribute('aria-expanded', String(show));
    // Beside the reader's code where both fit, below it where not: the words name no side.
    this.announce(show ? 'A solution is shown; your code is unchanged.' : '');
  }

  #askReset(): void {
    this.find<HTMLDialogElement>('[data-reset-dialog]').showModal();
  }

  async #reset(): Promise<void> {
    const editor = await this.editor();
    editor.set(this.starter);
    progressPage().store.saveExerciseCode(this.exerciseId, null);
    this.announce('Your code was replaced by the starter code.');
  }

  async check(): Promise<void> {
    const state = this.dataset.state;
    if (state === 'running' || state === 'loading' || state === 'unsupported') return;
    const checkButton = this.find<HTMLButtonElement>('[data-check]');
    const stopButton = this.find<HTMLButtonElement>('[data-stop]');
    // Check is pressed from the button (Enter, Space, a click) or from the editor (Ctrl+Enter).
    // From the button, focus moves to Stop for the run and back to Check after it; a disabled
    // button that has focus drops it to <body>, where a keyboard user would start over.
    const fromButton = document.activeElement === checkButton;
    stopButton.disabled = false;
    if (fromButton) stopButton.focus();
    checkButton.disabled = true;
    this.dataset.state = 'loading';
    const store = progressPage().store;
    try {
      const code = (await this.editor()).get();
      const module: CheckModule = await import('./exercise-check.ts');
      const passed = await module.checkExercise(this, code, (stop) => (this.#stop = stop));
      if (passed) store.markSolved(this.exerciseId, code);
      else store.recordCheck(this.exerciseId);
      this.#attempted = true;
      this.#allowSolution();
    } finally {
      this.#stop = null;
      // How many checks have finished: lets tests (and scripts) wait for the next verdict.
      this.dataset.checks = String(Number(this.dataset.checks ?? 0) + 1);
      const onStop = document.activeElement === stopButton;
      const dropped = fromButton && document.activeElement === document.body;
      checkButton.disabled = false;
      stopButton.disabled = true;
      if (onStop || dropped) checkButton.focus();
    }
  }

  get attempted(): boolean {
    return this.#attempted;
  }
}

if (!customElements.get('gil-exercise')) customElements.define('gil-exercise', GilExercise);

export type { GilExercise };
