/**
 * Every place that makes the site cross-origin isolated says the same headers: the dev/preview
 * server and test server (one list), Netlify/Cloudflare's _headers, vercel.json, and the service
 * worker for hosts that cannot set headers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isolationHeaders,
  siteHeaders,
} from '../../../scripts/isolation-headers.mjs';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('cross-origin isolation headers', () => {
  it('are COOP same-origin and COEP require-corp (plus CORP for our own files)', () => {
    expect(isolationHeaders).toEqual({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });

  it('are set for every path by public/_headers', () => {
    const lines = read('public/_headers').split('\n');
    const at = lines.findIndex((l) => l.trim() === '/*');
    expect(at).toBeGreaterThanOrEqual(0);
    const block: Record<string, string> = {};
    for (const line of lines.slice(at + 1)) {
      const m = /^\s+([\w-]+):\s*(.+?)\s*$/.exec(line);
      if (!m) break;
      block[m[1]!] = m[2]!;
    }
    expect(block).toEqual(siteHeaders);
  });

  it('are set for every path by vercel.json', () => {
    const config = JSON.parse(read('vercel.json')) as {
      headers: { source: string; headers: { key: string; value: string }[] }[];
    };
    const all = config.headers.find((h) => h.source === '/(.*)');
    expect(all).toBeDefined();
    expect(Object.fromEntries(all!.headers.map((h) => [h.key, h.value]))).toEqual(siteHeaders);
  });

  it('are added by the service worker for header-less hosts', () => {
    const worker = read('public/coi-sw.js');
    const set = Object.fromEntries(
      [...worker.matchAll(/headers\.set\('([\w-]+)', '?([\w-]+)'?\)/g)].map((m) => [m[1], m[2]]),
    );
    expect(set).toEqual({ ...isolationHeaders, 'Content-Security-Policy': 'CSP' });
    expect(worker).toContain(`var CSP =\n  "${contentSecurityPolicy}";`);
  });

  it('let no request leave the origin, from pages or workers', () => {
    const directives = Object.fromEntries(
      contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    for (const name of ['default-src', 'connect-src', 'img-src', 'font-src', 'worker-src'])
      expect(directives[name]?.filter((s: string) => s !== "'self'" && s !== 'data:')).toEqual([]);
    expect(directives['script-src']?.filter((s: string) => !s.startsWith("'"))).toEqual([]);
  });
});
