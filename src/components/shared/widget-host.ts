/**
 * What a widget's lazily loaded half needs of its element. The lazy halves depend on these small
 * interfaces, never on the element classes, so no element ⇄ lazy-half import cycle forms.
 */

/** Any widget: finds its own parts and speaks to the reader (its ARIA live status). */
export interface WidgetHost extends HTMLElement {
  /** An element inside this widget; the .astro shell always renders the ones asked for. */
  find<T extends HTMLElement = HTMLElement>(selector: string): T;
  /** Says `message` in the widget's status (a live region). */
  announce(message: string): void;
}
