/**
 * <gil-experiment>: the part of an experiment that loads with the page. It is small on purpose:
 * it wires the controls and buttons, and loads the runtime, the timeline and the results code
 * (./experiment-run.ts) only when the experiment scrolls into view or Run is pressed.
 */
// Types only: the schemas (and zod) load with the lazy part, never with the page.
import type { ExperimentSettings } from '../../schemas/experiment.ts';
import type { RunResult } from '../../runtime/index.ts';
import { isolationSettled, liveUnavailable } from '../isolation/live-support.ts';
import type { ClientPreset, ExperimentHost, ExperimentState } from './experiment-host.ts';

type RunModule = typeof import('./experiment-run.ts');

class GilExperiment extends HTMLElement implements ExperimentHost {
  preset!: ClientPreset;
  /** The last finished run (scripts/record-timelines.mjs saves it for pages that cannot run). */
  lastResult: RunResult | null = null;
  settings!: ExperimentSettings;
  #abort: AbortController | null = null;
  #module: Promise<RunModule> | null = null;
  #observer: IntersectionObserver | null = null;
  /** Each select's options as the page rendered them, to put back after tampering. */
  readonly #options = new Map<HTMLSelectElement, { value: string; text: string }[]>();

  connectedCallback(): void {
    if (this.preset) return;
    try {
      this.preset = JSON.parse(this.dataset.preset ?? '{}') as ClientPreset;
    } catch (error) {
      this.preset = {} as ClientPreset;
      this.broken(error);
    }
    this.settings = { ...this.preset.settings };
    this.find('[data-run]').addEventListener('click', () => void this.run());
    this.find('[data-stop]').addEventListener('click', () => this.stop());
    const controls = this.find('[data-controls]');
    for (const select of controls.querySelectorAll('select'))
      this.#options.set(
        select,
        [...select.options].map((o) => ({ value: o.value, text: o.text })),
      );
    controls.addEventListener('change', () => this.#readControls());
    // Enter in a number field must not submit (reload) the page. A listener, not an inline
    // onsubmit handler: the pages' Content-Security-Policy allows no inline handlers.
    controls.addEventListener('submit', (e) => e.preventDefault());
    this.find('[data-copy]').addEventListener('click', () => void this.#copy());
    this.#threadsOnly();
    this.#noteCores();
    this.#showRelevantControls();
    // Nothing loads until the page knows it stays (a first visit may be reloaded for isolation).
    void isolationSettled().then(() => this.#start());
  }

  #start(): void {
    if (!this.isConnected) return;
    const unavailable = liveUnavailable();
    if (unavailable) {
      this.setState('unsupported');
      this.find('[data-unsupported-reason]').textContent = unavailable.message;
      this.find('[data-unsupported-note]').hidden = false;
      (this.find('[data-run]') as HTMLButtonElement).disabled = true;
      // Keep the lesson useful: a recorded run and CPython's numbers (no runtime is loaded).
      void import('./offline-view.ts').then((m) => m.showRecorded(this));
      return;
    }
    // Warm up when the reader gets close, so the first Run starts drawing at once.
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.#observer?.disconnect();
        void this.load()
          .then((m) => m.prepare(this))
          .catch((error: unknown) => this.broken(error));
      }
    });
    this.#observer.observe(this);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#abort?.abort();
  }

  /** An element inside this widget; the shell always renders these. */
  find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector(selector) as T;
  }

  setState(state: ExperimentState): void {
    this.dataset.state = state;
  }

  announce(message: string): void {
    this.find('[data-status]').textContent = message;
  }

  load(): Promise<RunModule> {
    this.#module ??= import('./experiment-run.ts');
    return this.#module;
  }

  async run(): Promise<void> {
    await isolationSettled();
    if (this.dataset.state === 'running' || this.dataset.state === 'unsupported') return;
    const runButton = this.find<HTMLButtonElement>('[data-run]');
    const stopButton = this.find<HTMLButtonElement>('[data-stop]');
    this.#abort = new AbortController();
    // The last run's figures no longer describe what is on screen (contract: data-result).
    delete this.dataset.result;
    this.setState('running');
    this.announce('Starting…');
    runButton.disabled = true;
    stopButton.disabled = false;
    stopButton.focus();
    try {
      const module = await this.load();
      await module.runAndShow(this, this.#abort.signal);
    } catch (error) {
      this.broken(error);
    } finally {
      this.#abort = null;
      const hadFocus = document.activeElement === stopButton;
      runButton.disabled = false;
      stopButton.disabled = true;
      if (hadFocus) runButton.focus();
    }
  }

  /**
   * The widget itself is broken (an invalid data-preset, a failed load): it says so instead of
   * staying on "Starting…" with an uncaught error; the rest of the page, and Run, stay usable.
   */
  broken(error: unknown): void {
    const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
    const detail = issue
      ? `${issue.path.map(String).join('.') || 'preset'}: ${issue.message}` // a ZodError
      : error instanceof Error
        ? error.message
        : String(error);
    this.setState('error');
    this.announce(
      `This experiment is broken and cannot run (${detail}). The rest of the page works.`,
    );
  }

  stop(): void {
    if (!this.#abort) return;
    this.announce('Stopping…');
    this.#abort.abort();
  }

  #readControls(): void {
    const form = this.find<HTMLFormElement>('[data-controls]');
    const data = new FormData(form);
    const next: Record<string, unknown> = { ...this.settings };
    for (const name of ['workload', 'executor', 'startMethod'] as const) {
      if (data.has(name)) next[name] = data.get(name);
    }
    const workersInput = form.elements.namedItem('workers');
    if (workersInput instanceof HTMLInputElement) {
      // Clamp to the input's own range and show the reader the value that will be used.
      const raw = Math.round(Number(workersInput.value));
      const max = Number(workersInput.max);
      const workers = Number.isFinite(raw) ? Math.min(max, Math.max(1, raw)) : 1;
      next['workers'] = workers;
      if (String(workers) !== workersInput.value) workersInput.value = String(workers);
    }
    if (data.has('switchIntervalMs'))
      next['switchIntervalMs'] = Number(data.get('switchIntervalMs'));
    for (const name of ['callBetween', 'useLock'] as const) {
      const box = form.elements.namedItem(name);
      if (box instanceof HTMLInputElement) next[name] = box.checked;
    }
    // The "GIL on" switch is the thread mode.
    const gilSwitch = form.elements.namedItem('gil');
    if (gilSwitch instanceof HTMLInputElement)
      next['mode'] = gilSwitch.checked ? 'gil' : 'free-threaded';
    this.settings = next as ExperimentSettings;
    this.#threadsOnly();
    this.#noteCores();
    this.#showRelevantControls();
    void this.load().then((m) => m.settingsChanged(this));
  }

  showSettings(settings: ExperimentSettings): void {
    this.settings = { ...settings };
    const form = this.find<HTMLFormElement>('[data-controls]');
    for (const [name, value] of Object.entries(settings)) {
      const control = form.elements.namedItem(name);
      if (control instanceof HTMLInputElement && control.type === 'checkbox') {
        control.checked = value === true;
      } else if (control instanceof HTMLSelectElement) {
        this.#showOption(control, String(value));
      } else if (control instanceof HTMLInputElement) {
        control.value = String(value);
      }
    }
    // The "GIL on" switch shows the thread mode (its name is not a setting's).
    const gilSwitch = form.elements.namedItem('gil');
    if (gilSwitch instanceof HTMLInputElement) gilSwitch.checked = settings.mode === 'gil';
    this.#threadsOnly();
    this.#noteCores();
    this.#showRelevantControls();
  }

  /**
   * Selects `value`, with the options put back as the page rendered them if they were edited: an
   * option whose value was changed (the refused value came from it) would otherwise leave the
   * select blank, or labelled with a value it does not mean, while the run uses `value`.
   */
  #showOption(select: HTMLSelectElement, value: string): void {
    const rendered = this.#options.get(select) ?? [];
    const options = [...select.options];
    const intact =
      options.length === rendered.length &&
      options.every((o, i) => o.value === rendered[i]?.value && o.text === rendered[i]?.text);
    if (!intact) select.replaceChildren(...rendered.map((o) => new Option(o.text, o.value)));
    // Settings the page never offered (an author's preset): shown as they are, never blank.
    if (!rendered.some((o) => o.value === value)) select.append(new Option(value, value));
    select.value = value;
  }

  /**
   * Race and mixed work need threads sharing memory, so they always run in a thread pool (as
   * run-plan.ts plans them): the other executors are disabled, with a note, and never selected.
   */
  #threadsOnly(): void {
    const only = this.settings.workload === 'race' || this.settings.workload === 'mixed';
    if (only) this.settings = { ...this.settings, executor: 'threads' };
    const select = this.querySelector<HTMLSelectElement>('select[name="executor"]');
    if (!select) return;
    for (const option of select.options) option.disabled = only && option.value !== 'threads';
    if (only) select.value = 'threads';
    const note = this.find('[data-executor-note]');
    note.hidden = !only;
    if (only) select.setAttribute('aria-describedby', note.id);
    else select.removeAttribute('aria-describedby');
  }

  /** Hides controls that mean nothing for the current settings (start method of threads …). */
  #showRelevantControls(): void {
    const s = this.settings;
    const relevant: Record<string, boolean> = {
      race: s.workload === 'race',
      startMethod: s.executor === 'processes',
      gil: s.executor !== 'processes',
      switchInterval: s.executor !== 'processes' && s.mode === 'gil',
    };
    for (const [name, visible] of Object.entries(relevant)) {
      const control = this.querySelector<HTMLElement>(`[data-control="${name}"]`);
      if (control) control.hidden = !visible;
    }
  }

  #noteCores(): void {
    const cores = navigator.hardwareConcurrency || 1;
    const { workers, executor, workload } = this.settings;
    const note =
      executor !== 'sequential' && workers > cores && workload !== 'io'
        ? `${workers} workers on ${cores === 1 ? '1 core' : `${cores} cores`}: at most ${cores} can compute at once, so expect no more than ${cores}× speed-up.`
        : '';
    this.find('[data-cores-note]').textContent = note;
  }

  async #copy(): Promise<void> {
    const code = this.find('[data-python]').textContent ?? '';
    try {
      await navigator.clipboard.writeText(code);
      this.announce('Python code copied.');
    } catch {
      this.announce('Could not copy: select the code and copy it by hand.');
    }
  }
}

if (!customElements.get('gil-experiment')) customElements.define('gil-experiment', GilExperiment);
