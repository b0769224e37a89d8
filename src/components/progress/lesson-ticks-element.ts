import type { CourseLesson } from '../../schemas/progress.ts';
import { isSolvedIn, normalizePath } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-lesson-ticks>`: wraps navigation rendered by someone else (Starlight's sidebar, the
 * landing page's lesson list) and adds a tick to every link that leads to a completed lesson.
 * Links are matched by URL path, so the tick works under any base path.
 */
class LessonTicksElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const lessonByPath = new Map(outline.map((lesson) => [normalizePath(lesson.href), lesson]));
    for (const link of this.querySelectorAll<HTMLAnchorElement>('a[href]')) {
      const lesson = lessonByPath.get(normalizePath(new URL(link.href).pathname));
      const complete = lesson !== undefined && store.isComplete(lesson.id);
      const tick = link.querySelector(':scope > [data-gil-lesson-tick]');
      if (complete && !tick) link.append(createTick());
      if (!complete && tick) tick.remove();
      link.toggleAttribute('data-gil-lesson-complete', complete);
      this.#renderExercises(link, lesson);
    }
  }

  /** "1/2 solved" after a lesson whose exercises the reader has started solving. */
  #renderExercises(link: HTMLAnchorElement, lesson: CourseLesson | undefined): void {
    const { progress } = this.page.store;
    const total = lesson?.exercises.length ?? 0;
    const solved = lesson?.exercises.filter((id) => isSolvedIn(progress, id)).length ?? 0;
    let badge = link.querySelector<HTMLElement>(':scope > [data-gil-exercises-solved]');
    if (solved === 0) {
      badge?.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement('span');
      badge.dataset['gilExercisesSolved'] = '';
      badge.className = 'gil-exercises-solved';
      link.append(badge);
    }
    badge.innerHTML = '';
    const visible = document.createElement('span');
    visible.setAttribute('aria-hidden', 'true');
    visible.textContent = `${solved}/${total} solved`;
    const label = document.createElement('span');
    label.className = 'sr-only';
    label.textContent = `(${solved} of ${total} exercises solved)`;
    badge.append(visible, label);
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
