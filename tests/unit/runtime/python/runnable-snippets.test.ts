/**
 * Every snippet a page offers to run (`<RunnablePython code={…}>`) runs in GIL Lab's own Python
 * (Pyodide interpreters sharing one GIL, here in Node worker_threads) and prints what its
 * `.expected.json` says, exactly as python3 must (tests/unit/examples). A lesson example that only
 * works in CPython would otherwise fail for the reader who presses Run Python.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpectation } from '../../examples/expectation.ts';
import { pythonSuite } from './suite.ts';

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
// The page boots the interpreters a snippet names (interpretersFor in python-run.ts: main + 4
// for max_workers=4) before it starts the program, so the program's own timings measure it and
// not Python's start-up. The largest snippet needs 5.
const { run } = pythonSuite({ prewarm: 5 });

describe("runnable snippets in GIL Lab's Python", () => {
  it('exist (lessons 1 and 2, the playground)', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  it.each(snippets)(
    '%s: %s prints what it must',
    async (_, path) => {
      const file = join(root, path);
      const expected = parseExpectation(
        readFileSync(file.replace(/\.py$/, '.expected.json'), 'utf8'),
        path,
      );
      const { result, stdout } = await run(readFileSync(file, 'utf8'), {
        filename: path.split('/').pop()!,
      });
      expect(result.error, result.error?.traceback).toBeNull();
      for (const pattern of expected.stdoutPatterns)
        expect(stdout).toMatch(new RegExp(pattern, 'm'));
    },
    180_000,
  );
});
