import { summarizeCourse } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-home-actions>`: the landing page's course button (HomeActions.astro). Without progress it
 * keeps its server-rendered "Start the course"; once the reader has completed or visited a lesson
 * it says "Continue with lesson N: title" and goes there; after the last lesson it says so and
 * offers the course again from the start. It is the landing page's one continue link.
 */
class HomeActionsElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const summary = summarizeCourse(store.progress, outline);
    const link = this.child<HTMLAnchorElement>('course');
    const done = this.child('done');
    const first = outline[0];
    done.hidden = summary.total === 0 || summary.next !== null;
    if (summary.fresh || summary.total === 0) {
      link.textContent = 'Start the course';
      if (first) link.href = first.href;
    } else if (summary.next) {
      link.textContent = `Continue with lesson ${summary.next.order}: ${summary.next.title}`;
      link.href = summary.next.href;
    } else {
      link.textContent = 'Review the course';
      if (first) link.href = first.href;
    }
  }
}

defineElement('gil-home-actions', HomeActionsElement);
