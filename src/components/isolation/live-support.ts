/**
 * Can live experiments and Run Python work in this browser, and if not, why not? Widgets ask here
 * so every "unavailable" message names the true cause and what the reader can do about it.
 *
 * The causes are separate on purpose: a page can be cross-origin isolated and still lack
 * SharedArrayBuffer (WebKitGTK ships without it, WebKit bug 317847), and a browser can have
 * SharedArrayBuffer but refuse Atomics.wait. public/coi-register.js, which runs before any module,
 * words the first two the same way for the page-wide notice.
 */

/** Why live runs cannot work here; `null` from `liveUnavailable` means they can. */
export type UnavailableCause =
  'not-isolated' | 'no-shared-memory' | 'no-atomics-wait' | 'no-workers' | 'atomics-wait-refused';

export interface Unavailable {
  cause: UnavailableCause;
  /** One or two sentences for the reader: the cause, then what they can do. */
  message: string;
}

/** What the checks read from the browser (a test passes its own). */
export interface LiveEnvironment {
  crossOriginIsolated: boolean;
  hasSharedArrayBuffer: boolean;
  hasAtomicsWait: boolean;
  hasWorkers: boolean;
  /** coi-register.js's reason, when it gave up on isolating the page. */
  isolationReason: string | undefined;
}

const BROWSERS = 'current Chrome, Edge, Firefox and Safari (15.2 or later)';

export function currentEnvironment(): LiveEnvironment {
  const atomics = (globalThis as { Atomics?: { wait?: unknown } }).Atomics;
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hasSharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hasAtomicsWait: typeof atomics?.wait === 'function',
    hasWorkers: typeof Worker === 'function',
    isolationReason: document.documentElement.dataset['isolationReason'],
  };
}

/**
 * coi-register.js's reason when the site was deployed without its service worker: only whoever
 * runs the site can fix that (the reason says how), so the reader is not told to reload.
 */
const SITE_MUST_FIX = /deployed without coi-sw\.js/;

export function messageFor(cause: UnavailableCause, isolationReason?: string): string {
  switch (cause) {
    case 'not-isolated':
      return (
        'this page is not cross-origin isolated, and browsers share memory between threads ' +
        `(SharedArrayBuffer) only on isolated pages: ${
          isolationReason ??
          'the host sent no COOP/COEP headers and the service worker that adds them has not taken over yet.'
        }` +
        (isolationReason !== undefined && SITE_MUST_FIX.test(isolationReason)
          ? ''
          : ' Reload the page once; if that does not help, allow service workers for this site or use a host that sends those headers.')
      );
    case 'no-shared-memory':
      return (
        'this page is cross-origin isolated, but this browser does not provide SharedArrayBuffer ' +
        `(WebKitGTK builds such as GNOME Web ship without it). The ${BROWSERS} have it: open the page in one of those.`
      );
    case 'no-atomics-wait':
      return (
        'this browser has SharedArrayBuffer but no Atomics.wait, which the modelled GIL’s waiting threads sleep in. ' +
        `The ${BROWSERS} have it: open the page in one of those.`
      );
    case 'atomics-wait-refused':
      return (
        'this browser refused Atomics.wait in a worker, which the modelled GIL’s waiting threads sleep in ' +
        `(a browser setting or extension may forbid it). The ${BROWSERS} allow it: try one of those.`
      );
    case 'no-workers':
      return (
        'this browser cannot start Web Workers (they may be turned off by a setting or extension), ' +
        'and every thread of a run is one.'
      );
  }
}

/** The first reason live runs cannot work here, or `null` if nothing stands in the way. */
export function liveUnavailable(env: LiveEnvironment = currentEnvironment()): Unavailable | null {
  let cause: UnavailableCause | null = null;
  if (!env.crossOriginIsolated) cause = 'not-isolated';
  else if (!env.hasSharedArrayBuffer) cause = 'no-shared-memory';
  else if (!env.hasAtomicsWait) cause = 'no-atomics-wait';
  else if (!env.hasWorkers) cause = 'no-workers';
  return cause && { cause, message: messageFor(cause, env.isolationReason) };
}

/**
 * The reader-facing cause of an error a run threw, if it is the browser's refusal of
 * Atomics.wait (Chromium: "Atomics.wait cannot be called in this context"; Firefox: "waiting is
 * not allowed on this thread"); `null` for every other error.
 */
export function explainRunError(error: unknown): string | null {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return /Atomics\.wait cannot be called|waiting is not allowed/i.test(text)
    ? messageFor('atomics-wait-refused')
    : null;
}

/**
 * Resolves once public/coi-register.js knows whether this page stays (isolated or not); never,
 * if it is about to reload the page. Widgets wait for it before loading anything, so a first
 * visit on a header-less host starts no download that the reload would cut off.
 */
export function isolationSettled(root: HTMLElement = document.documentElement): Promise<void> {
  if (root.dataset['isolation'] !== 'pending') return Promise.resolve();
  return new Promise((resolve) => {
    const settled = (): void => {
      if (root.dataset['isolation'] === 'pending') return;
      window.removeEventListener('gil-lab:isolation', settled);
      resolve();
    };
    window.addEventListener('gil-lab:isolation', settled);
  });
}
