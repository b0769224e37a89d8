import { normalizePath } from './course-summary';
import { defineElement, ProgressElement } from './progress-element';

/**
 * `<gil-lesson-ticks>`: wraps navigation rendered by someone else (Starlight's sidebar, the
 * landing page's lesson list) and adds a tick to every link that leads to a completed lesson.
 * Links are matched by URL path, so the tick works under any base path.
 */
class LessonTicksElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const lessonByPath = new Map(outline.map((lesson) => [normalizePath(lesson.href), lesson.id]));
    for (const link of this.querySelectorAll<HTMLAnchorElement>('a[href]')) {
      const lessonId = lessonByPath.get(normalizePath(new URL(link.href).pathname));
      const complete = lessonId !== undefined && store.isComplete(lessonId);
      const tick = link.querySelector(':scope > [data-gil-lesson-tick]');
      if (complete && !tick) link.append(createTick());
      if (!complete && tick) tick.remove();
      link.toggleAttribute('data-gil-lesson-complete', complete);
    }
  }
}

/** A check mark that reads as "(completed)" to screen readers. */
function createTick(): HTMLElement {
  const tick = document.createElement('span');
  tick.dataset['gilLessonTick'] = '';
  tick.className = 'gil-lesson-tick';
  const mark = document.createElement('span');
  mark.setAttribute('aria-hidden', 'true');
  mark.textContent = '✓';
  const label = document.createElement('span');
  label.className = 'sr-only';
  label.textContent = '(completed)';
  tick.append(mark, label);
  return tick;
}

defineElement('gil-lesson-ticks', LessonTicksElement);
