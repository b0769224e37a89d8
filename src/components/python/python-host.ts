/** The <gil-python> element as its lazy halves see it (see ../shared/widget-host.ts). */
import type { WidgetHost } from '../shared/widget-host.ts';

/** A runnable Python block: the lesson's code and what the reader made of it. */
export interface PythonHost extends WidgetHost {
  /** The lesson's code, as rendered. */
  readonly original: string;
  /** The code to run: the editor's once it exists, else the original. */
  source(): string;
}
