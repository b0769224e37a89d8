import type { Persistence } from './progress-store.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-progress-notice>`: says so when progress is not being saved (ProgressNotice.astro), and,
 * when the stored progress could not be read, offers to reset it.
 */
class ProgressNoticeElement extends ProgressElement {
  protected render(): void {
    const { persistence } = this.page.store;
    this.hidden = persistence.kind === 'saved';
    this.child('message').textContent = noticeText(persistence);
    this.child('reset').hidden = persistence.kind !== 'unreadable';
  }
}

function noticeText(persistence: Persistence): string {
  switch (persistence.kind) {
    case 'saved':
      return '';
    case 'unavailable':
      return 'This browser is not letting GIL Lab store data, so lessons you mark complete count only while this page is open and will not be kept.';
    case 'unreadable':
      return persistence.problem === 'newer-version'
        ? 'Your saved progress was written by a newer version of GIL Lab and cannot be read here. It is left as it is; reset it to start saving again.'
        : 'Your saved progress could not be read (it may have been damaged or edited by hand). Until you reset it, lessons you mark complete will not be saved.';
  }
}

defineElement('gil-progress-notice', ProgressNoticeElement);
