import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-progress-reset>`: "Reset progress…" and a modal dialog that asks before erasing anything
 * (ProgressReset.astro). A native <dialog> gives focus trapping and Escape-to-cancel for free.
 */
class ProgressResetElement extends ProgressElement {
  protected override setup(): void {
    const dialog = this.child<HTMLDialogElement>('dialog');
    this.child('open').addEventListener('click', () => {
      dialog.returnValue = '';
      dialog.showModal();
    });
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'erase') return;
      this.page.store.reset();
      this.child('status').textContent =
        this.page.store.persistence.kind === 'saved'
          ? 'Progress reset: no lesson is marked complete.'
          : 'Progress reset for this visit, but this browser will not let it be saved.';
    });
  }

  protected render(): void {
    // Nothing depends on progress: the dialog's text is static.
  }
}

defineElement('gil-progress-reset', ProgressResetElement);
