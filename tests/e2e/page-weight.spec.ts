import { test, expect } from '@playwright/test';
import { BUDGET_BYTES, pageWeights } from '../../scripts/page-weight.mjs';

test('every lesson page parses at most 30 kB of gzipped JavaScript before interaction', () => {
  const lessons = pageWeights('dist').filter((w) => w.page.startsWith('/lessons/'));
  expect(lessons.length).toBeGreaterThan(0);
  for (const lesson of lessons) {
    expect(lesson.gzipBytes, `${lesson.page}: ${lesson.files.join(', ')}`).toBeLessThanOrEqual(
      BUDGET_BYTES,
    );
  }
});

test('neither the runtime nor Pyodide is among what a page loads up front', () => {
  for (const page of pageWeights('dist')) {
    expect(
      page.files.some((f) =>
        /experiment-run|thread\.worker|python-highlight|python-run|python-editor|python\.worker|pyodide/.test(
          f,
        ),
      ),
    ).toBe(false);
  }
});
