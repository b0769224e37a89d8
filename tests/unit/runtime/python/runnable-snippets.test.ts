/**
 * Every listing a page shows is runnable there (`<RunnablePython code={…}>`) unless it cannot
 * run in a browser or does not yet behave as in CPython here (src/components/python/listings.ts
 * names why, and the page prints it beside the listing: StaticPython.astro). The
 * runnable ones run in examples-in-run-python.test.ts as the page runs them, against the same
 * `.expected.json` python3 must match (tests/unit/examples).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NOT_IN_THE_BROWSER,
  NOT_THE_SAME,
  notRunnableNote,
} from '../../../../src/components/python/listings.ts';

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

  it('every other listing on a page is a StaticPython with its reason printed beside it', () => {
    let statics = 0;
    for (const name of readdirSync(pagesDir, { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.mdx')) continue;
      const text = readFileSync(join(pagesDir, name), 'utf8');
      // A bare <Code> would show a listing with neither a Run button nor a reason.
      for (const use of text.matchAll(/<Code\s+code=\{(\w+)\}\s+lang="python"/g)) {
        const from = new RegExp(`import ${use[1]} from '(?:\\.\\./)+examples/python/`);
        expect(
          from.test(text),
          `${name}: ${use[1]} is a listing: RunnablePython or StaticPython`,
        ).toBe(false);
      }
      for (const use of text.matchAll(/<StaticPython\s+code=\{(\w+)\}\s+file="([^"]+)"/g)) {
        statics++;
        const from = new RegExp(
          `import ${use[1]} from '(?:\\.\\./)+examples/python/([^']+)\\?raw'`,
        );
        expect(from.exec(text)?.[1], `${name}: ${use[1]} is not ${use[2]}`).toBe(use[2]);
        expect(
          notRunnableNote(use[2]!),
          `${name}: ${use[2]} runs in Run Python: make it <RunnablePython>`,
        ).not.toBeNull();
      }
    }
    expect(statics).toBe(Object.keys(NOT_IN_THE_BROWSER).length + Object.keys(NOT_THE_SAME).length);
  });
});
