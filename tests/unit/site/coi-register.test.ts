/**
 * public/coi-register.js, the first script of every page, decides whether the page can be made
 * cross-origin isolated and says why not. Most of its verdicts come after an answer (the check
 * that coi-sw.js is still deployed, register()), and that answer may come before or after the
 * body is parsed: the page-wide notice must show the true reason either way. Run in Node against
 * fake browser globals; the browsers' own behaviour is tests/e2e/static-hosting.spec.ts and the
 * engine suites (tests/engines).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SOURCE = readFileSync(new URL('../../../public/coi-register.js', import.meta.url), 'utf8');
const ORIGIN = 'https://site.test';
const GUARD = 'gil-lab:coi-reloaded';
const GENERIC = 'your browser did not make this page cross-origin isolated';

interface Page {
  html: { dataset: Record<string, string> };
  notice: { textContent: string };
  /** The parser reaches the end of the body. */
  parsed: () => void;
  reloads: number;
  /** Answers the pending coi-sw.js check (a Response, or undefined for "never"). */
  answerFileCheck: (response: Response) => void;
  fileChecks: number;
  registered: number;
}

/**
 * A page of the course on a host without headers. `controlled`: a service worker answered this
 * load; `reloaded`: coi-register.js already reloaded this tab once. register() resolves to an
 * active worker.
 */
function loadPage({ controlled = false, reloaded = false } = {}): Page {
  const storage = new Map<string, string>(reloaded ? [[GUARD, '1']] : []);
  const notice = { textContent: GENERIC };
  const html = { dataset: {} as Record<string, string> };
  const onParsed: (() => void)[] = [];
  const document = {
    documentElement: html,
    readyState: 'loading',
    currentScript: { src: `${ORIGIN}/coi-register.js` },
    addEventListener: (type: string, fn: () => void) => {
      if (type === 'DOMContentLoaded') onParsed.push(fn);
    },
    querySelectorAll: (selector: string) =>
      selector === '[data-isolation-reason-text]' && document.readyState !== 'loading'
        ? [notice]
        : [],
  };
  let answer: (response: Response) => void = () => undefined;
  const page: Page = {
    html,
    notice,
    parsed: () => {
      document.readyState = 'interactive';
      onParsed.forEach((fn) => fn());
    },
    reloads: 0,
    answerFileCheck: (response) => answer(response),
    fileChecks: 0,
    registered: 0,
  };
  const worker = { state: 'activated', scriptURL: `${ORIGIN}/coi-sw.js` };
  const window = {
    crossOriginIsolated: false,
    isSecureContext: true,
    location: { href: `${ORIGIN}/lessons/x/`, reload: () => page.reloads++ },
    dispatchEvent: () => true,
    requestIdleCallback: () => 0,
  };
  const navigator = {
    serviceWorker: {
      controller: controlled ? worker : null,
      register: async () => {
        page.registered++;
        return { active: worker, installing: null, waiting: null };
      },
      getRegistration: async () => undefined,
    },
  };
  const sessionStorage = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  };
  const fetch = (url: string) => {
    expect(url).toBe(`${ORIGIN}/coi-sw.js`);
    page.fileChecks++;
    return new Promise<Response>((resolve) => (answer = resolve));
  };
  new Function('window', 'document', 'navigator', 'sessionStorage', 'fetch', SOURCE)(
    window,
    document,
    navigator,
    sessionStorage,
    fetch,
  );
  return page;
}

const script = () =>
  new Response('self.addEventListener("fetch", () => {});', {
    headers: { 'Content-Type': 'text/javascript' },
  });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('coi-register.js', () => {
  it('a verdict reached after the body was parsed still reaches the notice', async () => {
    // The Firefox flake (engine suite, "defeated" host): the coi-sw.js check answered after
    // DOMContentLoaded, the reason landed on <html> but the notice kept its generic sentence.
    const page = loadPage({ controlled: true, reloaded: true });
    page.parsed();
    expect(page.html.dataset['isolation']).toBe('pending');
    page.answerFileCheck(script());
    await settle();
    expect(page.html.dataset['isolation']).toBe('unavailable');
    expect(page.html.dataset['isolationReason']).toMatch(/strips or overrides the headers/);
    expect(page.notice.textContent).toMatch(/strips or overrides the headers/);
    expect(page.reloads).toBe(0);
  });

  it('a verdict reached before the body was parsed reaches the notice once it exists', async () => {
    const page = loadPage({ controlled: true, reloaded: true });
    page.answerFileCheck(script());
    await settle();
    expect(page.notice.textContent).toContain(GENERIC); // not parsed yet
    page.parsed();
    expect(page.notice.textContent).toMatch(/strips or overrides the headers/);
  });

  it('a deploy without coi-sw.js: the notice says so, whenever the answer comes', async () => {
    const page = loadPage();
    page.parsed();
    page.answerFileCheck(new Response('Not found', { status: 404 }));
    await settle();
    expect(page.registered).toBe(0);
    expect(page.notice.textContent).toMatch(/deployed without coi-sw\.js/);
  });

  it('decides as soon as the file check answers, without waiting out its time limit', async () => {
    vi.useFakeTimers();
    const page = loadPage({ controlled: true, reloaded: true });
    page.answerFileCheck(script());
    await vi.advanceTimersByTimeAsync(0); // no timer may pass: only promise callbacks run
    expect(page.html.dataset['isolation']).toBe('unavailable');
  });

  it('a file check that never answers leaves the page pending no longer than its limit', async () => {
    vi.useFakeTimers();
    const page = loadPage(); // first visit: the check, then register() and one reload
    expect(page.fileChecks).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(page.registered).toBe(1);
    expect(page.reloads).toBe(1);
  });
});
