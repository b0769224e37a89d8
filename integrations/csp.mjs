// @ts-check
/**
 * Astro integration: after the build, writes each page's Content-Security-Policy into the page's
 * <head>, before any script it governs (only <meta charset> comes first). The policy allows exactly the
 * page's own inline scripts, by the SHA-256 hash of each one's text (Starlight's theme and sidebar
 * scripts, the storage guard, Astro's small module scripts), plus script files from the site
 * itself; no eval, and no request to another origin. The hosting headers carry the site-wide policy
 * (scripts/isolation-headers.mjs), which workers need; a browser enforces both.
 * Done after the build because only then is every inline script's final text known. The same
 * hook tells the service worker (coi-sw.js) which top-level names are the course's.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyDirectives } from '../scripts/isolation-headers.mjs';

/** Script elements with text (a `src` script's text is not run, so it needs no hash). */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/**
 * The SHA-256 source expressions for every inline script of `html`.
 * @param {string} html
 */
export function inlineScriptHashes(html) {
  const hashes = new Set();
  for (const [, attrs, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/.test(attrs ?? '') || !body) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/**
 * The policy a page gets: its inline scripts by hash, everything else from the site only.
 * @param {string} html
 */
export function pagePolicy(html) {
  // No frame-ancestors: browsers ignore it in a <meta> policy (the header carries it).
  return policyDirectives(
    ["'self' 'wasm-unsafe-eval'", ...inlineScriptHashes(html)].join(' '),
  ).join('; ');
}

/**
 * `html` with its policy as the first element of <head> (replacing one written before).
 * @param {string} html
 */
export function withPagePolicy(html) {
  const clean = html.replace(/<meta http-equiv="content-security-policy"[^>]*>/i, '');
  const meta = `<meta http-equiv="content-security-policy" content="${pagePolicy(clean)}">`;
  // First in <head>, so it governs every script; <meta charset> goes before it (it must stay
  // within the first 1024 bytes).
  const charset = /<meta charset=[^>]*>/i.exec(clean)?.[0] ?? '';
  return clean.replace(charset, '').replace(/<head(\s[^>]*)?>/i, (head) => head + charset + meta);
}

/**
 * The service worker's text with the course's top-level names (its pages' folders and files)
 * in place of `var COURSE = null;`, so it adds headers to nothing else a host serves.
 * @param {string} worker
 * @param {string[]} names
 */
export function withCourseNames(worker, names) {
  const line = /^var COURSE = .*;$/m;
  if (!line.test(worker)) throw new Error('coi-sw.js has no `var COURSE = …;` line');
  return worker.replace(line, `var COURSE = ${JSON.stringify(names)};`);
}

/** @param {string} dir */
async function htmlFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(path)));
    else if (entry.name.endsWith('.html')) out.push(path);
  }
  return out;
}

/** @returns {import('astro').AstroIntegration} */
export default function contentSecurityPolicy() {
  return {
    name: 'gil-lab-content-security-policy',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const files = await htmlFiles(root);
        for (const file of files)
          await writeFile(file, withPagePolicy(await readFile(file, 'utf8')));
        logger.info(`Content-Security-Policy written into ${files.length} pages`);
        const worker = join(root, 'coi-sw.js');
        const names = (await readdir(root)).sort();
        await writeFile(worker, withCourseNames(await readFile(worker, 'utf8'), names));
        logger.info(`coi-sw.js adds headers to the course's ${names.length} top-level names only`);
      },
    },
  };
}
