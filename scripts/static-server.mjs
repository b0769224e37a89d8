#!/usr/bin/env node
// A plain static file server with NO special headers: it stands in for GitHub Pages or a bucket
// in the end-to-end tests, so they can check that the service worker alone isolates the page.
// Usage: node scripts/static-server.mjs <dir> --port 4322 [--prefix /gil-lab/] [--isolated]
//   [--sw-adds-no-headers]
// --isolated adds the COOP/COEP and CSP headers, like a host configured with public/_headers.
// --sw-adds-no-headers serves, in place of coi-sw.js, a service worker that passes responses on
// unchanged: what the page sees on a host or proxy that defeats our worker. The page must then
// reload once, give up, and say why (never loop).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { siteHeaders } from './isolation-headers.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const root = resolve(args[0] ?? 'dist');
const port = Number(option('--port', '4322'));
const prefix = option('--prefix', '/');
const isolation = args.includes('--isolated') ? siteHeaders : {};
const defeatedWorker = args.includes('--sw-adds-no-headers');
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

/** Maps a URL path to a file under root, like most static hosts (dir → dir/index.html). */
async function locate(urlPath) {
  if (!urlPath.startsWith(prefix)) return null;
  const relative = normalize(decodeURIComponent(urlPath.slice(prefix.length))).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  let file = join(root, relative);
  if (!file.startsWith(root)) return null;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    await stat(file);
    return file;
  } catch {
    return null;
  }
}

createServer(async (request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (defeatedWorker && path === `${prefix}coi-sw.js`) {
    response.writeHead(200, { 'Content-Type': types['.js'] });
    response.end(PASS_THROUGH_WORKER);
    return;
  }
  const file = await locate(path);
  if (!file) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    ...isolation,
  });
  response.end(await readFile(file));
}).listen(port, '127.0.0.1', () => {
  console.log(`static server: ${root} at http://127.0.0.1:${port}${prefix}`);
});
