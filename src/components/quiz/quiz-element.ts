import { progressPage } from '../progress/progress-page.ts';
import { judgeNumeric, parseNumericAnswer } from './numeric-answer.ts';

/**
 * `<gil-quiz data-quiz-id="…">`: the behaviour of a server-rendered quiz (Quiz.astro). The markup
 * already holds every question, answer and explanation; this element listens for "Check", copies
 * the matching explanation into the question's live region, and keeps the checked answer with the
 * reader's progress (in this browser only; src/schemas/progress.ts `quizzes`). On the next visit
 * the last answers come back, judged again, without being announced. Native inputs and buttons
 * give keyboard operation for free: Tab to a group, arrows to choose, Space to select, Enter (or
 * the button) to check. Nothing is sent anywhere.
 */
export class GilQuiz extends HTMLElement {
  connectedCallback(): void {
    this.addEventListener('submit', this.onSubmit);
    // Any change after a check is a new attempt: clear the old marks, keep the explanation.
    this.addEventListener('change', this.onChange);
    this.restore();
  }

  private get quizId(): string {
    return this.dataset['quizId'] ?? '';
  }

  private questionForms(): HTMLFormElement[] {
    return [...this.querySelectorAll<HTMLFormElement>('[data-quiz-question] form')];
  }

  /**
   * Shows the answers the reader checked on an earlier visit, judged again. One that is judged
   * differently now was given to an earlier version of its question: it is dropped, not shown.
   */
  private restore(): void {
    const kept = this.quizId ? progressPage().store.quiz(this.quizId) : null;
    if (!kept) return;
    this.questionForms().forEach((form, index) => {
      const entry = kept.answers[String(index + 1)];
      if (!entry) return;
      let right: boolean | null = null;
      if (form.dataset['question'] === 'choice') {
        const radio = [...form.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find(
          (input) => input.value === entry.answer,
        );
        if (radio) {
          radio.checked = true;
          right = this.checkChoice(form, false);
        }
      } else {
        const input = form.querySelector<HTMLInputElement>('input[data-numeric]');
        if (input) {
          input.value = entry.answer;
          right = this.checkNumeric(form, false);
        }
      }
      // Judged differently now than when it was kept (or not showable at all): the question was
      // rewritten since, and the kept answer belongs to a question that is gone.
      if (right !== entry.right) {
        this.clear(form);
        progressPage().store.forgetQuizAnswer(this.quizId, index + 1);
      }
    });
  }

  /** Empties a question: no choice picked, nothing typed, no verdict shown. */
  private clear(form: HTMLFormElement): void {
    form.querySelectorAll<HTMLInputElement>('input[type="radio"]').forEach((input) => {
      input.checked = false;
    });
    const input = form.querySelector<HTMLInputElement>('input[data-numeric]');
    if (input) input.value = '';
    form.querySelectorAll('[data-result]').forEach((el) => el.removeAttribute('data-result'));
    form.closest('[data-quiz-question]')?.querySelector('[data-feedback]')?.replaceChildren();
  }

  /** Keeps a checked answer with the reader's progress. */
  private keep(form: HTMLFormElement, answer: string, right: boolean): void {
    if (!this.quizId) return;
    const forms = this.questionForms();
    const number = forms.indexOf(form) + 1;
    if (number < 1) return;
    progressPage().store.recordQuizAnswer(this.quizId, forms.length, number, answer, right);
  }

  disconnectedCallback(): void {
    this.removeEventListener('submit', this.onSubmit);
    this.removeEventListener('change', this.onChange);
  }

  private readonly onSubmit = (event: Event): void => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !this.contains(form)) return;
    event.preventDefault(); // method="dialog" already goes nowhere; this makes it explicit
    if (form.dataset['question'] === 'choice') this.checkChoice(form);
    else if (form.dataset['question'] === 'numeric') this.checkNumeric(form);
  };

  private readonly onChange = (event: Event): void => {
    const form = (event.target as Element | null)?.closest('form');
    form?.querySelectorAll('[data-result]').forEach((el) => el.removeAttribute('data-result'));
  };

  /**
   * Judges the picked choice and returns whether it is right (null: nothing picked); `fresh` is
   * false when restoring an earlier visit's answer.
   */
  private checkChoice(form: HTMLFormElement, fresh = true): boolean | null {
    const picked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    if (!picked) {
      this.say(form, null, text('Pick an answer first.'));
      return null;
    }
    const right = picked.dataset['correct'] === 'true';
    if (fresh) this.keep(form, picked.value, right);
    form.querySelectorAll('[data-result]').forEach((el) => el.removeAttribute('data-result'));
    picked.closest('label')?.setAttribute('data-result', right ? 'right' : 'wrong');
    const question = form.closest('[data-quiz-question]');
    const why = question?.querySelector(`[data-explanation-for="${picked.value}"]`);
    this.say({ form, fresh }, right ? 'right' : 'wrong', copy(why), right ? null : tryAgain());
    return right;
  }

  /**
   * Judges the typed number and returns whether it is right (null: not a number); `fresh` is false
   * when restoring an earlier visit's answer.
   */
  private checkNumeric(form: HTMLFormElement, fresh = true): boolean | null {
    const input = form.querySelector<HTMLInputElement>('input[data-numeric]');
    const value = input ? parseNumericAnswer(input.value, form.dataset['unit']) : null;
    if (value === null) {
      if (fresh) this.say(form, null, text('Type a number first, for example 5, 0.5, 5% or 1/20.'));
      return null;
    }
    const answer = Number(form.dataset['answer']);
    const tolerance = Number(form.dataset['tolerance'] ?? '0');
    const verdict = judgeNumeric(value, answer, tolerance);
    if (fresh && input) this.keep(form, input.value.trim(), verdict === 'right');
    input?.setAttribute('data-result', verdict === 'right' ? 'right' : 'wrong');
    const question = form.closest('[data-quiz-question]');
    const hint = verdict === 'right' ? null : question?.querySelector(`[data-hint="${verdict}"]`);
    const side = verdict === 'low' ? 'too low' : 'too high';
    this.say(
      { form, fresh },
      verdict === 'right' ? 'right' : 'wrong',
      verdict === 'right' ? null : text(`${value} is ${side}.`),
      copy(hint),
      copy(question?.querySelector('[data-explanation]')),
    );
    return verdict === 'right';
  }

  /**
   * Replaces the question's live region with a verdict and explanation, so it is announced. A
   * restored answer (`fresh: false`) is shown with its region silenced: a page that starts talking
   * about answers given days ago would only confuse.
   */
  private say(
    target: HTMLFormElement | { form: HTMLFormElement; fresh: boolean },
    verdict: 'right' | 'wrong' | null,
    ...parts: (Node | null)[]
  ): void {
    const { form, fresh } =
      target instanceof HTMLFormElement ? { form: target, fresh: true } : target;
    const region = form
      .closest('[data-quiz-question]')
      ?.querySelector<HTMLElement>('[data-feedback]');
    if (!region) return;
    const paragraph = document.createElement('p');
    if (!fresh) paragraph.append(text('Your answer last time: '));
    if (verdict) {
      const label = document.createElement('strong');
      label.textContent = verdict === 'right' ? 'Yes. ' : 'Not quite. ';
      paragraph.append(label);
    }
    for (const part of parts) if (part) paragraph.append(part, ' ');
    region.dataset['verdict'] = verdict ?? 'none';
    if (!fresh) {
      region.setAttribute('aria-live', 'off');
      region.replaceChildren(paragraph);
      return;
    }
    region.setAttribute('aria-live', 'polite');
    // Lets the lesson suggest (never make) marking it complete: see lesson-complete-element.ts.
    this.dispatchEvent(new CustomEvent('gil-lab:quiz-answered', { bubbles: true }));
    // Empty first: a screen reader re-announces even when the same answer is checked twice.
    region.replaceChildren();
    requestAnimationFrame(() => region.replaceChildren(paragraph));
  }
}

function text(value: string): Text {
  return document.createTextNode(value);
}

/** A copy of a server-rendered explanation (it may contain <code>), or null if there is none. */
function copy(source: Element | null | undefined): Node | null {
  if (!source) return null;
  const fragment = document.createDocumentFragment();
  source.childNodes.forEach((node) => fragment.append(node.cloneNode(true)));
  return fragment;
}

function tryAgain(): Text {
  return text('Try another answer, or open “Why each answer is right or wrong”.');
}

if (!customElements.get('gil-quiz')) customElements.define('gil-quiz', GilQuiz);
