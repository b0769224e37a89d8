import { progressPage, type ProgressPage } from './progress-page.ts';

/**
 * Base of the progress custom elements: renders once connected and again after every progress
 * change (this tab or another), and stops listening when removed. The server-rendered markup is
 * hidden by CSS until the element is defined, so a reader never sees a wrong count flash by.
 */
export abstract class ProgressElement extends HTMLElement {
  #unsubscribe: (() => void) | undefined;
  #isSetUp = false;

  protected get page(): ProgressPage {
    return progressPage();
  }

  connectedCallback(): void {
    if (!this.#isSetUp) this.setup();
    this.#isSetUp = true;
    this.render();
    this.#unsubscribe = this.page.store.subscribe(() => this.render());
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Wires event listeners; runs once, before the first render. */
  protected setup(): void {}

  /** Brings the markup in line with the current progress. */
  protected abstract render(): void;

  /** The child marked `data-part="name"`; the shells render every part the script needs. */
  protected child<T extends Element = HTMLElement>(name: string): T {
    const element = this.querySelector<T>(`[data-part="${name}"]`);
    if (!element) throw new Error(`<${this.localName}> is missing its "${name}" part`);
    return element;
  }
}

/** Defines a custom element once, even if its module is evaluated twice. */
export function defineElement(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
