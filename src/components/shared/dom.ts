/** Small DOM builders the widgets' result views share (no framework). */

/** Creates an element with text; children are appended in order. */
export function h(tag: string, text?: string | null, ...children: Node[]): HTMLElement {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  el.append(...children);
  return el;
}

/** A table with a header row of column titles; rows are added to the returned body. */
export function tableWithHeader(titles: string[]): { table: HTMLElement; body: HTMLElement } {
  const head = h('tr', null);
  for (const title of titles) {
    const th = h('th', title);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  const body = h('tbody', null);
  return { table: h('table', null, h('thead', null, head), body), body };
}
