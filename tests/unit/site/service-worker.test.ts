/**
 * The service worker (public/coi-sw.js) adds headers only to the course's own pages and files
 * (a host may serve other pages under the same scope), and unregisters itself once a deploy no
 * longer has it. Run in Node against fake service-worker globals.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { withCourseNames } from '../../../integrations/csp.mjs';

const SOURCE = readFileSync(new URL('../../../public/coi-sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://site.test';

interface FakeEvent {
  request: { url: string; method: string; mode: string; cache: string };
  respondWith: ReturnType<typeof vi.fn>;
  waitUntil: ReturnType<typeof vi.fn>;
}

function load(names: string[] | null, selfStatus = 200, selfType = 'text/javascript') {
  const listeners: Record<string, (e: unknown) => void> = {};
  const unregister = vi.fn(async () => true);
  const self = {
    location: { href: `${ORIGIN}/coi-sw.js`, origin: ORIGIN },
    registration: { scope: `${ORIGIN}/`, unregister },
    clients: { claim: async () => undefined },
    skipWaiting: () => undefined,
    addEventListener: (type: string, fn: (e: unknown) => void) => (listeners[type] = fn),
  };
  const fetched: string[] = [];
  const fetch = async (input: string | { url: string }) => {
    const url = typeof input === 'string' ? input : input.url;
    fetched.push(url);
    const own = url === self.location.href;
    const status = own ? selfStatus : 200;
    const headers = { 'Content-Type': own ? selfType : 'text/html' };
    return new Response(status === 404 ? 'Not found' : 'ok', { status, headers });
  };
  const source = names === null ? SOURCE : withCourseNames(SOURCE, names);
  new Function('self', 'fetch', source)(self, fetch);
  async function request(path: string, mode = 'no-cors') {
    const event: FakeEvent = {
      request: { url: `${ORIGIN}${path}`, method: 'GET', mode, cache: 'default' },
      respondWith: vi.fn(),
      waitUntil: vi.fn(),
    };
    listeners['fetch']!(event);
    await Promise.all(event.waitUntil.mock.calls.map((c) => c[0]));
    const response = event.respondWith.mock.calls[0]?.[0] as Promise<Response> | undefined;
    return { handled: response !== undefined, response: await response };
  }
  return { request, unregister, fetched };
}

describe('the service worker', () => {
  it('adds the isolation headers and the policy to the course’s pages and files only', async () => {
    const { request } = load(['_astro', 'lessons', 'playground', 'favicon.svg']);
    for (const path of ['/', '/index.html', '/lessons/what-is-the-gil/', '/_astro/a.js']) {
      const { handled, response } = await request(path);
      expect(handled, path).toBe(true);
      expect(response!.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
      expect(response!.headers.get('Content-Security-Policy')).toContain("connect-src 'self'");
    }
    for (const path of ['/other/', '/other/cat.png', '/lessonsX/', '/favicon.svg.bak'])
      expect((await request(path)).handled, path).toBe(false);
  });

  it('with no list (astro dev), handles everything under its scope', async () => {
    const { request } = load(null);
    expect((await request('/other/')).handled).toBe(true);
  });

  it('unregisters itself when its own file is gone (a deploy without it)', async () => {
    const gone = load(['lessons'], 404);
    const page = await gone.request('/lessons/x/', 'navigate');
    expect(gone.unregister).toHaveBeenCalledOnce();
    // The page it was loading comes without isolation: a worker on its way out must not isolate
    // a page whose register() would then bring it back.
    expect(page.response!.headers.get('Cross-Origin-Embedder-Policy')).toBeNull();
    // A host that answers every path with its index page: gone all the same.
    const fallback = load(['lessons'], 200, 'text/html; charset=utf-8');
    await fallback.request('/lessons/x/', 'navigate');
    expect(fallback.unregister).toHaveBeenCalledOnce();
    const present = load(['lessons'], 200);
    await present.request('/lessons/x/', 'navigate');
    await present.request('/_astro/x.js'); // not a navigation: no check
    expect(present.unregister).not.toHaveBeenCalled();
    expect(present.fetched.filter((u) => u.endsWith('/coi-sw.js'))).toHaveLength(1);
  });
});
