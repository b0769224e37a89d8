import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseExpectation } from './expectation.ts';

// Every Python example the lessons show lives in examples/python/<lesson-slug>/<name>.py, next to a
// <name>.expected.json that says what running it must produce. The lesson imports the file itself
// (`?raw`), so a page can never show code that this test did not run.
const root = resolve(import.meta.dirname, '../../..');
const examplesDir = join(root, 'examples/python');
const lessonsDir = join(root, 'src/content/docs/lessons');
const python = process.env.PYTHON ?? 'python3';

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix) && !name.includes('__pycache__'))
    .map((name) => join(dir, name))
    .sort();
}

const scripts = filesUnder(examplesDir, '.py');
const expectations = filesUnder(examplesDir, '.expected.json');
const expectationFor = (script: string) => script.replace(/\.py$/, '.expected.json');

describe('the example collection', () => {
  test('has examples', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  test('every example declares what it must do', () => {
    const missing = scripts.filter((script) => !existsSync(expectationFor(script)));
    expect(missing.map((file) => relative(root, file))).toEqual([]);
  });

  test('every expectation belongs to an example', () => {
    const orphans = expectations.filter(
      (file) => !existsSync(file.replace(/\.expected\.json$/, '.py')),
    );
    expect(orphans.map((file) => relative(root, file))).toEqual([]);
  });

  test("every example sits in a lesson's (or page's) folder and is shown by that page", () => {
    for (const script of scripts) {
      const slug = relative(examplesDir, dirname(script));
      // A lesson's folder, or a page's (the Python playground: src/content/docs/playground.mdx).
      const lesson = [join(lessonsDir, `${slug}.mdx`), join(lessonsDir, '..', `${slug}.mdx`)].find(
        (page) => existsSync(page),
      );
      expect(lesson, `${relative(root, script)}: no page ${slug}.mdx`).toBeDefined();
      if (!lesson) continue;
      const shown = readFileSync(lesson, 'utf8').includes(
        `examples/python/${slug}/${script.split('/').pop()}?raw`,
      );
      expect(shown, `${relative(root, script)} is not imported by ${slug}.mdx`).toBe(true);
    }
  });

  test('examples that start processes or an event loop guard their entry point', () => {
    // spawn and forkserver re-import the main module in every child; without the guard the child
    // would start the pool again.
    const unguarded = scripts.filter((script) => {
      const source = readFileSync(script, 'utf8');
      return (
        /\b(ProcessPoolExecutor|multiprocessing|asyncio\.run)\b/.test(source) &&
        !source.includes('if __name__ == "__main__":')
      );
    });
    expect(unguarded.map((file) => relative(root, file))).toEqual([]);
  });
});

describe('every example runs under python3 as the lesson says', () => {
  for (const script of scripts) {
    const name = relative(examplesDir, script);
    const expectationFile = expectationFor(script);
    if (!existsSync(expectationFile)) continue; // reported by "declares what it must do" above
    const expected = parseExpectation(
      readFileSync(expectationFile, 'utf8'),
      relative(root, expectationFile),
    );

    test(name, { timeout: expected.timeoutS * 1000 + 5_000 }, () => {
      const run = spawnSync(python, [script], {
        cwd: dirname(script),
        encoding: 'utf8',
        timeout: expected.timeoutS * 1000,
        // No __pycache__ in examples/; unbuffered so output is complete even if the run is killed.
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      });
      const report = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
      expect(run.error, `could not run ${python} ${name}${report}`).toBeUndefined();
      expect(run.status, `exit code of ${name}${report}`).toBe(expected.exitCode);
      for (const pattern of expected.stdoutPatterns) {
        expect(run.stdout, `stdout of ${name}`).toMatch(new RegExp(pattern, 'm'));
      }
      for (const pattern of expected.stderrPatterns) {
        expect(run.stderr, `stderr of ${name}`).toMatch(new RegExp(pattern, 'm'));
      }
    });
  }
});
