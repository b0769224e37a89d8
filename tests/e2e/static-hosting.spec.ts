import { test, expect, type Page } from '@playwright/test';
import { servers } from '../../playwright.config.ts';
import { watchPage } from './fixtures.ts';

/** Counts top-level document requests: the first load and every reload or navigation. */
function countLoads(page: Page): { loads: number } {
  const counter = { loads: 0 };
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) counter.loads++;
  });
  return counter;
}

async function isIsolated(page: Page): Promise<boolean> {
  return page.evaluate(() => self.crossOriginIsolated).catch(() => false);
}

for (const [label, root] of [
  ['at the site root', servers.plain],
  ['under the /gil-lab/ base path', servers.plainBase],
] as const) {
  test.describe(`a plain static host with no headers, ${label}`, () => {
    test('becomes isolated after exactly one reload, and stays so', async ({ page }) => {
      const problems = watchPage(page);
      const counter = countLoads(page);
      await page.goto(`${root}/lessons/what-is-the-gil/`);
      await expect.poll(() => isIsolated(page), { timeout: 20_000 }).toBe(true);
      await page.waitForLoadState('load');
      expect(counter.loads).toBe(2);
      await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
      expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
      // The narrowest scope that covers the course: its base path, not the whole origin.
      const scope = await page.evaluate(
        async () => (await navigator.serviceWorker.getRegistration())?.scope,
      );
      expect(scope).toBe(`${root}/`);

      // Later visits: isolated on first load, no further reloads.
      await page.goto(`${root}/`);
      expect(await isIsolated(page)).toBe(true);
      await page.reload();
      expect(await isIsolated(page)).toBe(true);
      await page.waitForTimeout(500);
      expect(counter.loads).toBe(4);
      expect(problems.errors).toEqual([]);
      expect(problems.foreignRequests).toEqual([]);
    });
  });
}

test.describe('a plain static host with service workers blocked', () => {
  test.use({ serviceWorkers: 'block' });

  test('says why live experiments are off, and the lesson still reads', async ({ page }) => {
    const problems = watchPage(page);
    const counter = countLoads(page);
    await page.goto(`${servers.plain}/lessons/what-is-the-gil/`);
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'unavailable');
    const notice = page.locator('[data-isolation-notice]');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Live experiments are off');
    await expect(page.getByRole('heading', { name: 'A countdown, twice' })).toBeVisible();
    await page.waitForTimeout(500);
    expect(counter.loads).toBe(1);
    expect(await isIsolated(page)).toBe(false);
    expect(problems.errors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});

test.describe('a plain static host where our service worker is defeated', () => {
  test('reloads once, gives up, says why, never loops; progress still works', async ({ page }) => {
    const problems = watchPage(page);
    const counter = countLoads(page);
    await page.goto(`${servers.plainDefeated}/lessons/what-is-the-gil/`);
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'unavailable', {
      timeout: 20_000,
    });
    await page.waitForLoadState('load');
    expect(counter.loads).toBe(2);
    await expect(page.locator('html')).toHaveAttribute('data-isolation-reason', /strips/);
    // The reader sees it too: the verdict may come after the body is parsed (Firefox flake).
    await expect(page.locator('[data-isolation-notice]')).toContainText('strips or overrides');
    await page.waitForTimeout(1000);
    expect(counter.loads).toBe(2);
    expect(await isIsolated(page)).toBe(false);

    // Progress does not need isolation: mark, reload (no further isolation reload), still marked.
    const mark = page.getByRole('button', { name: 'Mark lesson complete' });
    await mark.click();
    await expect(mark).toHaveAttribute('aria-pressed', 'true');
    await page.reload();
    await expect(mark).toHaveAttribute('aria-pressed', 'true');
    await page.waitForTimeout(500);
    expect(counter.loads).toBe(3);
    expect(problems.errors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});
