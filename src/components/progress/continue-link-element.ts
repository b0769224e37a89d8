import { normalizePath, summarizeCourse } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-continue-link>`: the end of a lesson's link to the lesson to continue with
 * (ContinueLink.astro), shown only once there is somewhere else to go.
 */
class ContinueLinkElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const summary = summarizeCourse(store.progress, outline);
    const { next } = summary;
    const link = this.child<HTMLAnchorElement>('link');
    const isHere = next !== null && normalizePath(next.href) === normalizePath(location.pathname);

    this.hidden = next === null || isHere || summary.fresh;
    if (!next) return;
    link.href = next.href;
    link.textContent = `${summary.fresh ? 'Start with' : 'Continue with'} lesson ${next.order}: ${next.title}`;
  }
}

defineElement('gil-continue-link', ContinueLinkElement);
