import { test, expect } from './fixtures.ts';

test.describe('the built site under `npm start` (COOP/COEP headers)', () => {
  // That every built page loads with status 200, no console error and no request to another
  // origin is checked with its accessibility check (accessibility.spec.ts), on the same load.

  test('a missing page answers 404 with the site’s own page and a way back', async ({ page }) => {
    // The browser itself logs a console error for the 404 status; anything else is ours.
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto('/lessons/no-such-lesson/');
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').first()).toBeVisible();
    await expect(page.getByRole('link', { name: /GIL Lab/ }).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });

  test('is cross-origin isolated, with SharedArrayBuffer', async ({ page, problems }) => {
    await page.goto('/lessons/what-is-the-gil/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    await expect(page.locator('[data-isolation-notice]')).toBeHidden();
    void problems;
  });

  test('the landing page lists the lessons in order', async ({ page, problems }) => {
    await page.goto('/');
    const items = page.locator('[data-lesson-list] li a');
    await expect(items.first()).toHaveText('What the GIL is');
    await items.first().click();
    await expect(page).toHaveURL(/\/lessons\/what-is-the-gil\/$/);
    await expect(page.locator('[data-lesson-objectives] li').first()).toBeVisible();
    void problems;
  });

  test('search finds a lesson by a word in its body', async ({ page, problems }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Search' }).fill('reference counting');
    const hit = dialog.locator('.pagefind-ui__result-link').first();
    await expect(hit).toHaveText(/What the GIL is/);
    await expect(hit).toHaveAttribute('href', /\/lessons\/what-is-the-gil\//);
    void problems;
  });

  test('python code blocks are highlighted', async ({ page, problems }) => {
    await page.goto('/lessons/what-is-the-gil/');
    const block = page.locator('.expressive-code pre[data-language="python"]').first();
    await expect(block).toBeVisible();
    // Highlighted tokens are spans with their own colours, not one plain text run.
    expect(await block.locator('span[style*="--0"]').count()).toBeGreaterThan(5);
    void problems;
  });
});
