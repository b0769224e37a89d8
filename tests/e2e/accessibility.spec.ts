import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, builtPages } from './fixtures.ts';

/**
 * WCAG 2.1 A/AA checks (axe-core) on every built page in both themes, and again after a reader
 * has used the interactive parts (an experiment's results and timeline table, a quiz answer,
 * marking a lesson, Run Python's editor, output and timeline).
 *
 * Each page is loaded once and checked in the light theme, then in the dark one: the themes
 * differ only in CSS keyed on `html[data-theme]`, which Starlight's theme picker ("auto") sets
 * from prefers-color-scheme and updates when that changes, so the dark check sees what a page
 * loaded in the dark theme shows, without a second load (or a second run of the experiment or
 * of Run Python) per page.
 */

/** Starlight's search button: its label is Starlight's own markup, not ours to change here. */
const STARLIGHT_SEARCH = 'button[data-open-modal]';

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude(STARLIGHT_SEARCH)
    .analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** The page's violations in the light theme, then in the dark one (the page as it is now). */
async function violationsInBothThemes(page: Page): Promise<Record<string, string[]>> {
  const html = page.locator('html');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  const light = await violations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const dark = await violations(page);
  return { light, dark };
}

const NONE = { light: [], dark: [] };

test.describe('accessibility, light and dark theme', () => {
  test.use({ colorScheme: 'light' });
  // Two axe runs per test: twice the hang guard of one (a lesson took 56 s at a load of 20).
  test.setTimeout(120_000);

  // Also the check that every page loads under `npm start` (COOP/COEP headers) with status 200,
  // no console error and no request to another origin (the `problems` fixture).
  for (const path of builtPages()) {
    test(`${path} loads cleanly and has no WCAG A/AA violations`, async ({ page, problems }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await violationsInBothThemes(page)).toEqual(NONE);
      void problems;
    });
  }

  test('a lesson after a run, a quiz answer and marking it complete', async ({
    page,
    problems,
  }) => {
    await page.goto('/lessons/what-is-the-gil/');
    const widget = page.locator('[data-experiment]').first();
    await widget.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await widget.getByText('Timeline as a table').click();
    const quiz = page.locator('[data-quiz]');
    await quiz.locator('[data-quiz-question]').first().locator('input').first().check();
    await page.getByRole('button', { name: 'Mark lesson complete' }).click();
    expect(await violationsInBothThemes(page)).toEqual(NONE);
    void problems;
  });

  test('the progress panel and its reset dialog', async ({ page, problems }) => {
    await page.goto('/');
    await page.getByText('Export, import or reset your progress').click();
    await page.getByRole('button', { name: 'Reset progress…' }).first().click();
    await expect(page.getByRole('dialog', { name: 'Erase your progress?' })).toBeVisible();
    expect(await violationsInBothThemes(page)).toEqual(NONE);
    void problems;
  });

  test('Run Python after editing and running', async ({ page, problems }) => {
    test.setTimeout(180_000);
    await page.goto('/playground/');
    const runner = page.locator('gil-python').first();
    await runner.getByRole('button', { name: 'Edit code' }).click();
    await expect(runner.locator('.cm-content')).toBeFocused();
    await runner.getByRole('button', { name: 'Run Python' }).click();
    await expect(runner).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    expect(await violationsInBothThemes(page)).toEqual(NONE);
    void problems;
  });
});
