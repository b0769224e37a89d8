#!/usr/bin/env node
// What each built page makes the browser parse before any interaction: its inline scripts, its
// module scripts and everything those import statically, gzipped. Dynamic imports (the runtime,
// the timeline, Starlight's search UI loaded on idle) are left out on purpose: they load later.
// Usage: node scripts/page-weight.mjs [dist] [--json]
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budget per lesson page, gzipped bytes (issue: experiment widgets). */
export const BUDGET_BYTES = 30 * 1024;

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '_astro' && name !== 'pagefind') out.push(...htmlFiles(path));
    } else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

/** Static imports of a built ES module: `import … from "./x.js"` and bare `import "./x.js"`. */
function staticImports(code) {
  const found = [];
  const pattern = /(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) found.push(match[1]);
  const exportFrom = /export\s*[\w*{}\s,$]*from\s*["']([^"']+)["']/g;
  for (const match of code.matchAll(exportFrom)) found.push(match[1]);
  return found;
}

/** Gzipped JS a page parses before interaction, and the files it comes from. */
export function pageWeight(dist, htmlPath, base = '/') {
  const html = readFileSync(htmlPath, 'utf8');
  const files = new Set();
  let inlineBytes = 0;
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = match[1];
    const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
    if (/type="(application\/(ld\+)?json)"/.test(attrs)) continue;
    if (src) files.add(resolve(dist, src.replace(new RegExp(`^${base}`), '')));
    else inlineBytes += gzipSync(match[2]).length;
  }
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop();
    if (!existsSync(file)) continue;
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
      const target = spec.startsWith('/')
        ? resolve(dist, spec.replace(new RegExp(`^${base}`), ''))
        : resolve(dirname(file), spec);
      if (!files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  let fileBytes = 0;
  for (const file of files) if (existsSync(file)) fileBytes += gzipSync(readFileSync(file)).length;
  return {
    page: `/${relative(dist, htmlPath).replace(/index\.html$/, '')}`,
    gzipBytes: inlineBytes + fileBytes,
    files: [...files].map((f) => relative(dist, f)).sort(),
  };
}

/** Weights of every page of a build. */
export function pageWeights(dist = 'dist') {
  return htmlFiles(resolve(dist))
    .map((file) => pageWeight(resolve(dist), file))
    .sort((a, b) => a.page.localeCompare(b.page));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'dist';
  const weights = pageWeights(dist);
  if (process.argv.includes('--json')) console.log(JSON.stringify(weights, null, 2));
  else {
    console.log('JS parsed before interaction (gzip), per page; budget for lessons 30 kB');
    for (const w of weights) {
      const kb = (w.gzipBytes / 1024).toFixed(1).padStart(6);
      console.log(`${kb} kB  ${w.page}`);
    }
  }
}
