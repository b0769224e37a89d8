import { summarizeCourse, progressText } from './course-summary.ts';
import { exportFileName, exportProgressFile, parseProgressFile } from './progress-file.ts';
import { defineElement, ProgressElement } from './progress-element.ts';

/**
 * `<gil-progress-panel>`: export progress to a JSON file and import it back, e.g. in another
 * browser (ProgressPanel.astro). An import is checked in full first; a bad file changes nothing.
 */
class ProgressPanelElement extends ProgressElement {
  protected override setup(): void {
    this.child('export').addEventListener('click', () => this.#export());
    const input = this.child<HTMLInputElement>('import');
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void this.#import(file).finally(() => (input.value = ''));
    });
  }

  protected render(): void {
    // Export and import read the store when used; nothing to keep in step.
  }

  #export(): void {
    const now = new Date();
    const text = exportProgressFile(this.page.store.progress, now);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = exportFileName(now);
    link.click();
    // Give the download a moment to start before the object URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.#say(`Progress exported to ${link.download}.`);
  }

  async #import(file: File): Promise<void> {
    let text: string;
    try {
      text = await file.text();
    } catch {
      this.#say('That file could not be read. Your progress was not changed.');
      return;
    }
    const result = parseProgressFile(text);
    if (!result.ok) {
      this.#say(result.message);
      return;
    }
    const { store, outline } = this.page;
    store.replace(result.progress);
    const saved = store.persistence.kind === 'saved' ? '' : ' (for this visit only)';
    this.#say(
      `Progress imported${saved}: ${progressText(summarizeCourse(result.progress, outline))}.`,
    );
  }

  #say(message: string): void {
    this.child('status').textContent = message;
  }
}

defineElement('gil-progress-panel', ProgressPanelElement);
