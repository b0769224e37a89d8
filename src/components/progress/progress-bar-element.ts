import { exercisesText, progressText, summarizeCourse } from './course-summary.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-progress-bar>`: "n of N lessons complete" as a bar and as text, and "m of M exercises
 * solved" under it (ProgressBar.astro).
 */
class ProgressBarElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const summary = summarizeCourse(store.progress, outline);
    const text = progressText(summary);
    this.hidden = summary.total === 0;
    const bar = this.child('bar');
    bar.setAttribute('aria-valuemax', String(summary.total));
    bar.setAttribute('aria-valuenow', String(summary.completed));
    bar.setAttribute('aria-valuetext', text);
    const share = summary.total > 0 ? summary.completed / summary.total : 0;
    this.child('fill').style.inlineSize = `${Math.round(share * 1000) / 10}%`;
    this.child('text').textContent = text;
    const exercises = this.child('exercises');
    exercises.textContent = exercisesText(summary);
    exercises.hidden = summary.totalExercises === 0;
  }
}

defineElement('gil-progress-bar', ProgressBarElement);
