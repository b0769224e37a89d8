import { normalizePath, summarizeCourse } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-continue-link>`: a link to the lesson to continue with (ContinueLink.astro). On a lesson
 * page (data-context="lesson") it shows only once there is somewhere else to go.
 */
class ContinueLinkElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const summary = summarizeCourse(store.progress, outline);
    const { next } = summary;
    const link = this.child<HTMLAnchorElement>('link');
    const done = this.child('done');
    const onLessonPage = this.dataset['context'] === 'lesson';
    const isHere = next !== null && normalizePath(next.href) === normalizePath(location.pathname);

    done.hidden = next !== null || summary.total === 0;
    link.hidden = next === null;
    this.hidden = onLessonPage ? next === null || isHere || summary.fresh : summary.total === 0;
    if (!next) return;
    link.href = next.href;
    link.textContent = `${summary.fresh ? 'Start with' : 'Continue with'} lesson ${next.order}: ${next.title}`;
  }
}

defineElement('gil-continue-link', ContinueLinkElement);
