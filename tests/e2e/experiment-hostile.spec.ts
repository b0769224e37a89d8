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
    // An unknown workload, and `{}` (no name, no settings: it once ran the defaults silently).
    const presets = [{ settings: { workload: 'no-such-workload' } }, {}];
    await page.evaluate((presets) => {
      const original = document.querySelector('gil-experiment')!;
      presets.forEach((preset, i) => {
        const copy = original.cloneNode(true) as HTMLElement;
        copy.id = `tampered-${i}`;
        delete copy.dataset.wired;
        copy.dataset.preset = JSON.stringify(preset);
        original.after(copy);
      });
    }, presets);
    for (let i = 0; i < presets.length; i++) {
      const tampered = page.locator(`#tampered-${i}`);
      await tampered.getByRole('button', { name: /^Run/ }).click();
      await expect(tampered).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
      await expect(tampered.locator('[data-status]')).toContainText('This experiment is broken');
      await expect(tampered.getByRole('button', { name: /^Run/ })).toBeEnabled();
    }
    expect(errors).toEqual([]);
  },
);

plainTest(
  'a tampered control is refused: the reader keeps their settings and the run uses what the controls show',
  async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('/lab/');
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    const widget = page.locator('[data-experiment="countdown-gil"]');
    const status = widget.locator('[data-status]');
    const interval = widget.locator('select[name="switchIntervalMs"]');
    const workers = widget.getByLabel('Workers');
    const gil = widget.getByRole('switch');
    // The reader's own, valid choices.
    await interval.selectOption('1');
    await expect(widget.locator('[data-python]')).toContainText('sys.setswitchinterval(0.001)');

    // An interval option edited to 0 ms (below CPython's range), then chosen.
    await interval.evaluate((select: HTMLSelectElement) => {
      select.options[select.options.length - 1]!.value = '0';
    });
    await interval.selectOption({ index: (await interval.locator('option').count()) - 1 });
    await expect(status).toContainText('The previous value is kept');
    await expect(interval).toHaveValue('1');
    // The selected option's own value edited, then a change: the select still shows the 1 ms
    // the run will use (it was once left blank), and every option means what it says again.
    await interval.evaluate((select: HTMLSelectElement) => {
      select.selectedOptions[0]!.value = '-1';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect(interval).toHaveValue('1');
    await expect(interval.locator('option:checked')).toHaveText('1 ms');
    expect(
      await interval.evaluate((select: HTMLSelectElement) =>
        [...select.options].map((o) => o.value),
      ),
    ).toEqual(['0.1', '0.5', '1', '5', '10', '50']);

    await gil.uncheck();
    await workers.fill('3');
    await workers.blur();
    await expect(widget.locator('[data-python]')).toContainText('max_workers=3');
    // The workers field's max raised to 1000, and 500 typed in.
    await workers.evaluate((input: HTMLInputElement) => (input.max = '1000'));
    await workers.fill('500');
    await workers.blur();
    await expect(status).toContainText('The previous value is kept');
    await expect(workers).toHaveValue('3');
    await expect(gil).not.toBeChecked();
    await expect(widget.locator('[data-python]')).toContainText('max_workers=3');

    await widget.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
    const result = JSON.parse((await widget.getAttribute('data-result')) ?? '{}') as {
      mode: string;
      workers: number;
    };
    expect(result).toMatchObject({ mode: 'free-threaded', workers: 3 });
    expect(errors).toEqual([]);
  },
);
