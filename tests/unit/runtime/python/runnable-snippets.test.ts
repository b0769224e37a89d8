/**
 * Every listing a page shows is runnable there (`<RunnablePython code={…}>`) unless it cannot
 * run in a browser or does not yet behave as in CPython here (listings.ts names why). The
 * runnable ones run in examples-in-run-python.test.ts as the page runs them, against the same
 * `.expected.json` python3 must match (tests/unit/examples).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_IN_THE_BROWSER, NOT_THE_SAME } from './listings.ts';

const root = resolve(import.meta.dirname, '../../../..');
const pagesDir = join(root, 'src/content/docs');

/** [page, example path] for every RunnablePython on every page. */
function runnableSnippets(): [string, string][] {
  const found: [string, string][] = [];
  for (const name of readdirSync(pagesDir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.mdx')) continue;
    const text = readFileSync(join(pagesDir, name), 'utf8');
    for (const use of text.matchAll(/<RunnablePython\s+code=\{(\w+)\}/g)) {
      const from = new RegExp(`import ${use[1]} from '(?:\\.\\./)+(examples/python/[^']+)\\?raw'`);
      const path = from.exec(text)?.[1];
      expect(path, `${name}: where does ${use[1]} come from?`).toBeDefined();
      if (path) found.push([name, path]);
    }
  }
  return found;
}

const snippets = runnableSnippets();
describe('runnable snippets', () => {
  it('exist on the lessons and the playground', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(20);
  });

  // Each one runs in examples-in-run-python.test.ts, as the page runs it (GIL mode, one
  // interpreter), against its .expected.json; here: none of them is a listing known not to.
  it.each(snippets)('%s: %s runs in Run Python as in CPython', (_, path) => {
    const name = path.replace('examples/python/', '');
    expect(NOT_IN_THE_BROWSER[name], `${name} cannot run in a browser`).toBeUndefined();
    expect(NOT_THE_SAME[name], `${name} does not behave as in CPython here`).toBeUndefined();
    expect(existsSync(join(root, path.replace(/\.py$/, '.expected.json')))).toBe(true);
  });

  it('every other listing on a page is one that cannot run here, with its reason', () => {
    for (const name of readdirSync(pagesDir, { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.mdx')) continue;
      const text = readFileSync(join(pagesDir, name), 'utf8');
      for (const use of text.matchAll(/<Code\s+code=\{(\w+)\}\s+lang="python"/g)) {
        const from = new RegExp(
          `import ${use[1]} from '(?:\\.\\./)+examples/python/([^']+)\\?raw'`,
        );
        const path = from.exec(text)?.[1];
        if (path === undefined) continue;
        expect(
          NOT_IN_THE_BROWSER[path] ?? NOT_THE_SAME[path],
          `${name}: ${path} runs in Run Python: make it <RunnablePython>`,
        ).toBeDefined();
      }
    }
  });
});
