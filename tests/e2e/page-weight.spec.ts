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

test('the runtime itself is not among what a lesson page loads up front', () => {
  for (const page of pageWeights('dist')) {
    expect(page.files.some((f) => /experiment-run|thread\.worker|python-highlight/.test(f))).toBe(
      false,
    );
  }
});
