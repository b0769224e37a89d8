#!/usr/bin/env node
// A plain static file server with NO special headers: it stands in for GitHub Pages or a bucket
// in the end-to-end tests, so they can check that the service worker alone isolates the page.
// Usage: node scripts/static-server.mjs <dir> --port 4322 [--prefix /gil-lab/] [--isolated]
// --isolated adds the COOP/COEP headers, like a host configured with public/_headers.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const root = resolve(args[0] ?? 'dist');
const port = Number(option('--port', '4322'));
const prefix = option('--prefix', '/');
const isolation = args.includes('--isolated')
  ? {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    }
  : {};

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
