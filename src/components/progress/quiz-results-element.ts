import { defineElement, ProgressElement } from './progress-element.ts';
import { lessonQuizText, summarizeQuizzes } from './quiz-results.ts';

/**
 * `<gil-quiz-results>`: one line per lesson with the reader's quiz results (QuizResults.astro),
 * linked to the lesson; follows changes made in other tabs like every progress element.
 */
class QuizResultsElement extends ProgressElement {
  protected render(): void {
    const { store, outline } = this.page;
    const results = summarizeQuizzes(store.progress, outline);
    const summary = this.child('summary');
    const list = this.child<HTMLUListElement>('list');
    summary.textContent =
      results.answered === 0
        ? 'You have not checked an answer yet. Your answers to each lesson’s “Check yourself” show here, kept in this browser.'
        : `${results.right} of ${results.answered} answers you checked were right (your last answer to each question counts):`;
    list.replaceChildren(
      ...results.lessons.map((row) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = row.lesson.href;
        link.textContent = `${row.lesson.order}. ${row.lesson.title}`;
        item.append(link, `: ${lessonQuizText(row)}`);
        return item;
      }),
    );
  }
}

defineElement('gil-quiz-results', QuizResultsElement);
