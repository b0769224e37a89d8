/**
 * The test and bench server caches as GitHub Pages does (max-age=600, ETag, Last-Modified, 304
 * for a copy that is still the file): without it every page of a visit downloaded the site's
 * JavaScript again, and the start-up bench counted that as Run Python's start-up.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../scripts/static-server.mjs';

const root = mkdtempSync(join(tmpdir(), 'gil-lab-static-'));
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  writeFileSync(join(root, 'a.js'), 'export const a = 1;\n');
  site = await serveStatic({ root, isolated: true });
});
afterAll(async () => {
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the static server', () => {
  it('sends cache headers, answers 304 for an unchanged copy and 200 once the file changed', async () => {
    const first = await fetch(`${site.url}/a.js`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=600');
    const etag = first.headers.get('etag')!;
    const modified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^".+"$/);
    expect(await first.text()).toBe('export const a = 1;\n');

    const again = await fetch(`${site.url}/a.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const since = await fetch(`${site.url}/a.js`, { headers: { 'If-Modified-Since': modified } });
    expect(since.status).toBe(304);

    writeFileSync(join(root, 'a.js'), 'export const a = 22;\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'a.js'), later, later);
    const changed = await fetch(`${site.url}/a.js`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toBe('export const a = 22;\n');
  });
});
