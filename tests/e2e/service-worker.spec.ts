import { fileURLToPath } from 'node:url';
import { test as plainTest, expect } from '@playwright/test';
import { servers } from '../../playwright.config.ts';
import { serveStatic } from '../../scripts/static-server.mjs';

/**
 * The service worker on a host without headers: it adds them to the course's own pages and files
 * only; after a hard reload (which bypasses it) the page recovers by itself or says to reload
 * normally, never looping; a deploy without it stops it, even while another tab uses it.
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

plainTest(
  'a deploy without coi-sw.js: the next page load is not isolated and says why, with no reload, while another tab is open',
  async ({ page, context }) => {
    // A browser's service-worker lifecycle is the subject: a registration being removed while
    // another tab uses it is brought back by the next page's register() (Chromium).
    const missing = new Set<string>();
    const site = await serveStatic({
      root: fileURLToPath(new URL('../../dist', import.meta.url)),
      missing,
    });
    try {
      await page.goto(`${site.url}/lessons/what-is-the-gil/`);
      await isolated(page);
      const other = await context.newPage();
      await other.goto(`${site.url}/playground/`);
      await isolated(other);

      missing.add('/coi-sw.js'); // the next deploy has no coi-sw.js
      let loads = 0;
      page.on('load', () => loads++);
      const html = page.locator('html');
      for (let i = 0; i < 2; i++) {
        await page.reload();
        await expect(html).toHaveAttribute('data-isolation', 'unavailable');
        await expect(html).toHaveAttribute('data-isolation-reason', /deployed without coi-sw\.js/);
      }
      await page.waitForTimeout(500);
      expect(loads, 'no reload of its own').toBe(2);
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
      await expect(page.locator('[data-isolation-notice]')).toBeVisible();

      await other.close();
      await page.reload();
      await expect(html).toHaveAttribute('data-isolation', 'unavailable');
      // The registration is cleared once no page uses it any more.
      await expect
        .poll(() =>
          page.evaluate(async () => ({
            controlled: navigator.serviceWorker.controller !== null,
            registrations: (await navigator.serviceWorker.getRegistrations()).length,
          })),
        )
        .toEqual({ controlled: false, registrations: 0 });

      // A first visit to that deploy gets the same true reason (register() of a missing file
      // would fail with a TypeError, which once read "service workers are blocked").
      const firstVisit = await context.browser()!.newContext();
      const fresh = await firstVisit.newPage();
      await fresh.goto(`${site.url}/`);
      await expect(fresh.locator('html')).toHaveAttribute(
        'data-isolation-reason',
        /deployed without coi-sw\.js/,
      );
      await firstVisit.close();
    } finally {
      await site.close();
    }
  },
);
