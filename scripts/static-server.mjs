#!/usr/bin/env node
// A plain static file server with NO special headers: it stands in for GitHub Pages or a bucket
// in the end-to-end tests, so they can check that the service worker alone isolates the page.
// Its caching is GitHub Pages': `Cache-Control: max-age=600` beside the validators ETag and
// Last-Modified, and 304 for a conditional request whose copy is still the file. Without them
// every page of a visit downloaded the site's JavaScript again, which no real host makes a reader
// do (and the start-up bench counted it as the next page's start-up).
// Usage: node scripts/static-server.mjs <dir> --port 4322 [--prefix /gil-lab/] [--isolated]
//   [--sw-adds-no-headers]
// --isolated adds the COOP/COEP and CSP headers, like a host configured with public/_headers.
// --sw-adds-no-headers serves, in place of coi-sw.js, a service worker that passes responses on
// unchanged: what the page sees on a host or proxy that defeats our worker. The page must then
// reload once, give up, and say why (never loop).
// The engine suites (tests/engines/run.mjs) start the same server in-process with `serveStatic`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteHeaders } from './isolation-headers.mjs';

const PASS_THROUGH_WORKER = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request)));
`;

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A file's caching headers: GitHub Pages' ten minutes, and validators as nginx makes them (ETag
 * from its modification time and size, Last-Modified), so they change whenever the file does. HTML with a test's page script gets
 * that script's hash in its ETag too.
 * @param {string} file
 * @param {import('node:fs').Stats} info
 * @param {{ path: string, source: string } | null} pageScript
 */
function validatorsOf(file, info, pageScript) {
  let tag = `${Math.floor(info.mtimeMs).toString(16)}-${info.size.toString(16)}`;
  if (pageScript && extname(file) === '.html')
    tag += `-${createHash('sha1').update(pageScript.source).digest('hex').slice(0, 8)}`;
  return {
    'Cache-Control': 'max-age=600',
    ETag: `"${tag}"`,
    'Last-Modified': new Date(info.mtimeMs).toUTCString(),
  };
}

/**
 * Whether a conditional request's copy is still the file's (RFC 9110 13.1: If-None-Match wins
 * over If-Modified-Since).
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ ETag: string, 'Last-Modified': string }} validators
 */
function unchanged(headers, validators) {
  const match = headers['if-none-match'];
  if (match !== undefined)
    return match
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === validators.ETag);
  const since = headers['if-modified-since'];
  if (since === undefined) return false;
  const at = Date.parse(since);
  return (
    !Number.isNaN(at) && Math.floor(Date.parse(validators['Last-Modified']) / 1000) <= at / 1000
  );
}

/**
 * Serves `root` like a static host. `pageScript` ({ path, source }), for tests only, is served at
 * `path` and loaded as the first script of every HTML page. `missing`, for tests only: URL paths
 * answered 404 as if the deploy lacked them (a test may add to the set while the server runs).
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serveStatic({
  root,
  port = 0,
  prefix = '/',
  isolated = false,
  defeatedWorker = false,
  pageScript = null,
  missing = new Set(),
}) {
  const dir = resolve(root);
  const isolation = isolated ? siteHeaders : {};

  /**
   * Maps a URL path to a file under dir, like most static hosts (dir → dir/index.html); with its
   * stat, for the validators.
   */
  async function locate(urlPath) {
    if (!urlPath.startsWith(prefix)) return null;
    const relative = normalize(decodeURIComponent(urlPath.slice(prefix.length))).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(dir, relative);
    if (!file.startsWith(dir)) return null;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      return { file, info: await stat(file) };
    } catch {
      return null;
    }
  }

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (defeatedWorker && path === `${prefix}coi-sw.js`) {
      response.writeHead(200, { 'Content-Type': types['.js'] });
      response.end(PASS_THROUGH_WORKER);
      return;
    }
    if (pageScript && path === pageScript.path) {
      response.writeHead(200, { 'Content-Type': types['.js'], ...isolation });
      response.end(pageScript.source);
      return;
    }
    const found = missing.has(path) ? null : await locate(path);
    if (!found) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('Not found');
      return;
    }
    const { file, info } = found;
    const validators = validatorsOf(file, info, pageScript);
    if (unchanged(request.headers, validators)) {
      response.writeHead(304, { ...validators, ...isolation });
      response.end();
      return;
    }
    let body = await readFile(file);
    if (pageScript && extname(file) === '.html') {
      body = body
        .toString('utf8')
        .replace(/<head>/i, `<head><script src="${pageScript.path}"></script>`);
    }
    response.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      ...validators,
      ...isolation,
    });
    response.end(body);
  });
  return new Promise((done) =>
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      done({
        url: `http://127.0.0.1:${bound}${prefix.replace(/\/$/, '')}`,
        close: () =>
          new Promise((closed) => {
            server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
  };
  const site = await serveStatic({
    root: args[0] ?? 'dist',
    port: Number(option('--port', '4322')),
    prefix: option('--prefix', '/'),
    isolated: args.includes('--isolated'),
    defeatedWorker: args.includes('--sw-adds-no-headers'),
  });
  console.log(`static server: ${resolve(args[0] ?? 'dist')} at ${site.url}/`);
}
