import { test as plainTest, expect } from '@playwright/test';

/** An experiment whose data-preset was tampered with says it is broken and stays usable. */
plainTest.setTimeout(120_000);

plainTest(
  'an invalid data-preset: the widget says it is broken, Run stays usable',
  async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('/lab/');
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    await page.evaluate(() => {
      const original = document.querySelector('gil-experiment')!;
      const copy = original.cloneNode(true) as HTMLElement;
      copy.id = 'tampered';
      delete copy.dataset.wired;
      copy.dataset.preset = JSON.stringify({ settings: { workload: 'no-such-workload' } });
      original.after(copy);
    });
    const tampered = page.locator('#tampered');
    await tampered.getByRole('button', { name: /^Run/ }).click();
    await expect(tampered).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
    await expect(tampered.locator('[data-status]')).toContainText('This experiment is broken');
    await expect(tampered.getByRole('button', { name: /^Run/ })).toBeEnabled();
    expect(errors).toEqual([]);
  },
);
