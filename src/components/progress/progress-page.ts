import type { CourseOutline } from '../../schemas/progress.ts';
import { PROGRESS_STORAGE_KEY } from '../../schemas/progress-constants.ts';
import { ProgressStore, type StorageLike } from './progress-store.ts';

/**
 * The one progress store of this page, over localStorage, shared by every progress element, and
 * kept in step with other tabs through the `storage` event (which fires only in the other tabs).
 */
export interface ProgressPage {
  store: ProgressStore;
  /** The course's lessons, in order; empty if the page carries no outline. */
  outline: CourseOutline;
}

let page: ProgressPage | undefined;

export function progressPage(): ProgressPage {
  if (page) return page;
  const storage = browserStorage();
  const store = new ProgressStore(storage);
  window.addEventListener('storage', (event) => {
    // key null: another tab called localStorage.clear().
    if (event.storageArea !== storage) return;
    if (event.key === PROGRESS_STORAGE_KEY || event.key === null) store.refresh();
  });
  page = { store, outline: readCourseOutline() };
  return page;
}

/**
 * localStorage, or null where merely touching it throws (storage disabled, sandboxed frames).
 * Where the head's storage guard (src/overrides/storage-guard.js) found writes refused, it left an
 * in-memory stand-in holding a copy of what was stored: progress reads it, and its writes are
 * refused here too, so the store says plainly that nothing will be kept.
 */
function browserStorage(): StorageLike | null {
  if (document.documentElement.dataset['storage'] === 'memory') {
    const refuse = (): never => {
      throw new DOMException(
        'This browser refuses to store data for this site.',
        'QuotaExceededError',
      );
    };
    return {
      getItem: (key) => window.localStorage.getItem(key),
      setItem: refuse,
      removeItem: refuse,
    };
  }
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readCourseOutline(): CourseOutline {
  const script = document.querySelector('script[data-gil-course-outline]');
  try {
    // Written by this site's build (checked there against `courseOutline`), so only its shape
    // is checked here.
    const parsed: unknown = JSON.parse(script?.textContent ?? '[]');
    return Array.isArray(parsed) ? (parsed as CourseOutline) : [];
  } catch {
    return [];
  }
}
