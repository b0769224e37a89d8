import { judgeNumeric, parseNumericAnswer } from './numeric-answer.ts';

/**
 * `<gil-quiz>`: the behaviour of a server-rendered quiz (Quiz.astro). The markup already holds
 * every question, answer and explanation; this element only listens for "Check" and copies the
 * matching explanation into the question's live region. Native inputs and buttons give keyboard
 * operation for free: Tab to a group, arrows to choose, Space to select, Enter (or the button) to
 * check. Nothing is scored, stored or sent anywhere.
 */
export class GilQuiz extends HTMLElement {
  connectedCallback(): void {
    this.addEventListener('submit', this.onSubmit);
    // Any change after a check is a new attempt: clear the old marks, keep the explanation.
    this.addEventListener('change', this.onChange);
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

  private checkChoice(form: HTMLFormElement): void {
    const picked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    if (!picked) {
      this.say(form, null, text('Pick an answer first.'));
      return;
    }
    const right = picked.dataset['correct'] === 'true';
    form.querySelectorAll('[data-result]').forEach((el) => el.removeAttribute('data-result'));
    picked.closest('label')?.setAttribute('data-result', right ? 'right' : 'wrong');
    const question = form.closest('[data-quiz-question]');
    const why = question?.querySelector(`[data-explanation-for="${picked.value}"]`);
    this.say(form, right ? 'right' : 'wrong', copy(why), right ? null : tryAgain());
  }

  private checkNumeric(form: HTMLFormElement): void {
    const input = form.querySelector<HTMLInputElement>('input[data-numeric]');
    const value = input ? parseNumericAnswer(input.value, form.dataset['unit']) : null;
    if (value === null) {
      this.say(form, null, text('Type a number first, for example 5, 0.5, 5% or 1/20.'));
      return;
    }
    const answer = Number(form.dataset['answer']);
    const tolerance = Number(form.dataset['tolerance'] ?? '0');
    const verdict = judgeNumeric(value, answer, tolerance);
    input?.setAttribute('data-result', verdict === 'right' ? 'right' : 'wrong');
    const question = form.closest('[data-quiz-question]');
    const hint = verdict === 'right' ? null : question?.querySelector(`[data-hint="${verdict}"]`);
    const side = verdict === 'low' ? 'too low' : 'too high';
    this.say(
      form,
      verdict === 'right' ? 'right' : 'wrong',
      verdict === 'right' ? null : text(`${value} is ${side}.`),
      copy(hint),
      copy(question?.querySelector('[data-explanation]')),
    );
  }

  /** Replaces the question's live region with a verdict and explanation, so it is announced. */
  private say(
    form: HTMLFormElement,
    verdict: 'right' | 'wrong' | null,
    ...parts: (Node | null)[]
  ): void {
    const region = form
      .closest('[data-quiz-question]')
      ?.querySelector<HTMLElement>('[data-feedback]');
    if (!region) return;
    const paragraph = document.createElement('p');
    if (verdict) {
      const label = document.createElement('strong');
      label.textContent = verdict === 'right' ? 'Yes. ' : 'Not quite. ';
      paragraph.append(label);
    }
    for (const part of parts) if (part) paragraph.append(part, ' ');
    region.dataset['verdict'] = verdict ?? 'none';
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
