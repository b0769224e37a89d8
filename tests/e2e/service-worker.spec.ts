import { test as plainTest, expect } from '@playwright/test';
import { servers } from '../../playwright.config.ts';

/**
 * The service worker on a host without headers: it adds them to the course's own pages and files
 * only, and after a hard reload (which bypasses it) the page recovers by itself or says to reload
 * normally, never looping.
 */
plainTest.setTimeout(120_000);

const isolated = (page: import('@playwright/test').Page) =>
  expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated', { timeout: 60_000 });

plainTest(
  'adds its headers to the course’s files, not to other pages of the host',
  async ({ page }) => {
    await page.goto(`${servers.plain}/`);
    await isolated(page);
    const coep = await page.evaluate(async () => {
      const header = async (path: string) =>
        (await fetch(path)).headers.get('cross-origin-embedder-policy');
      return { course: await header('/favicon.svg'), other: await header('/other/') };
    });
    expect(coep).toEqual({ course: 'require-corp', other: null });
  },
);

plainTest('a hard reload recovers by itself or says to reload normally', async ({ page }) => {
  await page.goto(`${servers.plain}/playground/`);
  await isolated(page);
  const cdp = await page.context().newCDPSession(page);
  let loads = 0;
  page.on('load', () => loads++);
  await cdp.send('Page.reload', { ignoreCache: true });
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-isolation', /isolated|unavailable/, { timeout: 60_000 });
  if ((await html.getAttribute('data-isolation')) === 'unavailable')
    await expect(html).toHaveAttribute('data-isolation-reason', /reload normally/);
  await page.waitForTimeout(2000);
  expect(loads, 'no reload loop').toBeLessThanOrEqual(2);
  await page.reload();
  await isolated(page);
});
