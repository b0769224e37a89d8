// Builds the harness with Vite, serves it cross-origin isolated on 127.0.0.1, and opens it in
// headless Chromium. Shared by the smoke test (smoke.mjs) and the bench's Chromium half.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { findChromium } from '../../scripts/find-browser.mjs';

export { CHROMIUM_ARGS };

/** Bundles tests/browser (and the runtime's worker) into a temporary directory. */
export async function buildHarness() {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'gil-lab-harness-'));
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'esnext' },
    worker: { format: 'es' },
  });
  return outDir;
}

/** Serves `dir` with the COOP/COEP headers SharedArrayBuffer needs; resolves to { url, close }. */
export function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(
      decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname),
    ).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((r) => server.close(r)),
      });
    }),
  );
}

/** Builds, serves, opens the harness in Chromium, runs `fn(page)`, and always cleans up. */
export async function withHarnessPage(fn, { timeoutMs = 300_000 } = {}) {
  const { chromium } = await import('playwright-core');
  // The one finder every browser-starting script uses (installs Debian's package as root).
  const executablePath = await findChromium();
  const dir = await buildHarness();
  const site = await serve(dir);
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
    page.on('console', (m) => process.stderr.write(`  [page] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`  [page error] ${e.message}\n`));
    await page.goto(site.url);
    await page.waitForFunction(() => 'gilHarness' in globalThis);
    return await fn(page);
  } finally {
    await browser.close();
    await site.close();
    await rm(dir, { recursive: true, force: true });
  }
}
