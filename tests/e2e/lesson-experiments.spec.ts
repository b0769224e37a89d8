import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';

/**
 * The experiments the lessons added for their own sections: switch points without a GIL (Race
 * conditions), one shared object without a GIL (Free threading in practice), and the 2048-byte
 * cliff (Escaping the GIL). Each runs on its lesson page, and its verdict says what the physics
 * says. No timing is asserted: only what holds on any machine.
 */

interface Ran {
  mode: string;
  overlapMs: number;
  speedup: number | null;
}

const experiment = (page: Page, preset: string) => page.locator(`[data-experiment="${preset}"]`);

async function runToEnd(widget: Locator): Promise<Ran> {
  await widget.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(widget).toHaveAttribute('data-state', 'running');
  await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  return JSON.parse((await widget.getAttribute('data-result')) ?? '{}') as Ran;
}

async function guess(widget: Locator, value: string): Promise<void> {
  await widget.locator('[data-predict] input[type="number"]').fill(value);
}

test('switch points: the plain loop without a GIL, then with it', async ({ page, problems }) => {
  await page.goto('/lessons/race-conditions/');
  const widget = experiment(page, 'race-no-gil');
  await expect(widget.getByRole('switch', { name: /GIL on/ })).not.toBeChecked();
  await guess(widget, '0');
  const free = await runToEnd(widget);
  expect(free.mode).toBe('free-threaded');
  const verdict = widget.locator('.exp-verdict');
  await expect(verdict).toContainText('Without a GIL both threads run at once');
  await expect(widget.locator('[data-results]')).toContainText('updates lost');
  // With the GIL on it is the 3.10+ picture: never two threads at once.
  await widget.getByRole('switch', { name: /GIL on/ }).check();
  const gil = await runToEnd(widget);
  expect(gil.mode).toBe('gil');
  expect(gil.overlapMs).toBe(0);
  void problems;
});

test('no GIL, one shared object: the lock makes the threads take turns, nothing is lost', async ({
  page,
  problems,
}) => {
  await page.goto('/lessons/free-threading/');
  const widget = experiment(page, 'shared-object-no-gil');
  await guess(widget, '300');
  const ran = await runToEnd(widget);
  expect(ran.mode).toBe('free-threaded');
  await expect(widget.locator('.exp-verdict')).toContainText('the threads take turns at it');
  await expect(widget.locator('[data-results]')).toContainText(/: 0 updates lost/);
  void problems;
});

test('the 2048-byte cliff: small calls keep the GIL, big ones release it', async ({
  page,
  problems,
}) => {
  await page.goto('/lessons/escaping-the-gil/');
  const widget = experiment(page, 'hashlib-cliff');
  await widget.getByRole('radio', { name: 'about the same' }).check();
  const held = await runToEnd(widget);
  expect(held.mode).toBe('gil');
  // Calls that keep the GIL never run at once, and are never graded faster than the plain loop.
  expect(held.overlapMs).toBe(0);
  await expect(widget.locator('[data-python]')).toContainText('bytes(2047)');
  await widget.locator('select[name="workload"]').selectOption('native');
  await expect(widget.locator('[data-python]')).toContainText('hashlib releases the GIL');
  const released = await runToEnd(widget);
  expect(released.overlapMs).toBeGreaterThan(0);
  void problems;
});
