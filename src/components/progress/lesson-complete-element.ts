import { progressText, summarizeCourse } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-lesson-complete data-lesson-id="…">`: the "Mark lesson complete" toggle at the end of a
 * lesson (LessonComplete.astro). Pressing it again undoes it. Only the reader marks a lesson; the
 * page never does it for them. Opening the lesson also records it as the last visited.
 */
class LessonCompleteElement extends ProgressElement {
  /** What the reader did on this page: enough, together, to suggest marking the lesson. */
  #ranExperiment = false;
  #answeredQuiz = false;

  get lessonId(): string {
    return this.dataset['lessonId'] ?? '';
  }

  protected override setup(): void {
    this.page.store.recordVisit(this.lessonId);
    this.child('toggle').addEventListener('click', () => this.#toggle());
    document.addEventListener('gil-lab:experiment-finished', () => {
      this.#ranExperiment = true;
      this.render();
    });
    document.addEventListener('gil-lab:quiz-answered', () => {
      this.#answeredQuiz = true;
      this.render();
    });
  }

  protected render(): void {
    const { store } = this.page;
    const completedAt = store.completedAt(this.lessonId);
    this.child('toggle').setAttribute('aria-pressed', String(completedAt !== null));
    this.child('detail').textContent = completedAt
      ? `Completed on ${formatDate(completedAt)}. Press the button again to undo.`
      : this.#ranExperiment && this.#answeredQuiz
        ? 'You have run the experiment and checked your answers: mark the lesson complete whenever you are ready.'
        : 'Not marked complete yet.';
  }

  #toggle(): void {
    const { store, outline } = this.page;
    const complete = !store.isComplete(this.lessonId);
    store.setComplete(this.lessonId, complete);
    const count = progressText(summarizeCourse(store.progress, outline));
    this.child('status').textContent = complete
      ? `Lesson marked complete: ${count}.`
      : `Lesson marked not complete: ${count}.`;
  }
}

function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: 'long',
  }).format(date);
}

defineElement('gil-lesson-complete', LessonCompleteElement);
