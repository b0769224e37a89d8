import type { CDPSession, Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';

/**
 * Issue 16: every process-pool run used to leave its dead `Worker` objects and their event
 * listeners behind (62 Workers, 168 → 783 listeners after 30 runs). Counted through Chromium's
 * DevTools protocol after a forced garbage collection: `Runtime.queryObjects` finds every live
 * object whose prototype is `Worker.prototype` (collected ones are gone), and
 * `Memory.getDOMCounters` counts the page's JS event listeners.
 */

/** Live `Worker` objects and JS event listeners on the page, after a full garbage collection. */
async function census(cdp: CDPSession): Promise<{ workers: number; listeners: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  // Its own handles go in one object group, released at once: they would keep the Workers alive.
  const objectGroup = 'census';
  const proto = await cdp.send('Runtime.evaluate', { expression: 'Worker.prototype', objectGroup });
  const found = await cdp.send('Runtime.queryObjects', {
    prototypeObjectId: proto.result.objectId!,
    objectGroup,
  });
  const length = await cdp.send('Runtime.callFunctionOn', {
    objectId: found.objects.objectId!,
    functionDeclaration: 'function () { return this.length; }',
    returnByValue: true,
  });
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
  const counters = await cdp.send('Memory.getDOMCounters');
  return { workers: Number(length.result.value), listeners: counters.jsEventListeners };
}

/**
 * A copy of the lesson's process-pool experiment whose tasks take about 5 ms instead of 300 ms:
 * the same code path (fresh processes for every run and pair, a plain loop beside them), fast.
 */
async function quickProcessPool(page: Page): Promise<Locator> {
  await page.evaluate(() => {
    const original = document.querySelector('[data-experiment="cpu-processes"]')!;
    const copy = original.cloneNode(true) as HTMLElement;
    copy.id = 'quick-processes';
    copy.removeAttribute('data-experiment');
    const preset = JSON.parse(copy.dataset.preset!) as { settings: Record<string, unknown> };
    preset.settings = { ...preset.settings, taskMs: 5 };
    copy.dataset.preset = JSON.stringify(preset);
    original.after(copy);
  });
  return page.locator('#quick-processes');
}

async function runToEnd(widget: Locator): Promise<void> {
  await widget.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
}

test('process-pool runs leave no dead Worker objects or event listeners behind', async ({
  page,
  problems,
}) => {
  const runs = Number(process.env['LEAK_RUNS'] ?? 5);
  test.setTimeout(60_000 + runs * 10_000);
  await page.goto('/lab/');
  await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
  const widget = await quickProcessPool(page);
  const cdp = await page.context().newCDPSession(page);
  // The first runs create what a page keeps for good: the warm thread pool (the plain loop's
  // worker), the timeline and the results.
  for (let i = 0; i < 2; i++) await runToEnd(widget);
  const before = await census(cdp);
  for (let i = 0; i < runs; i++) await runToEnd(widget);
  const after = await census(cdp);
  const perRun = (n: number) => (n / runs).toFixed(2);
  console.log(
    `after ${runs} more runs: Workers ${before.workers} → ${after.workers} (${perRun(after.workers - before.workers)}/run), ` +
      `listeners ${before.listeners} → ${after.listeners} (${perRun(after.listeners - before.listeners)}/run)`,
  );
  // Each run starts at least two processes per pair: a leak shows up as dozens. A couple of
  // workers may still be exiting when counted.
  expect(after.workers, 'live Worker objects').toBeLessThanOrEqual(before.workers + 2);
  expect(after.listeners, 'JS event listeners').toBeLessThanOrEqual(before.listeners + 6);
  void problems;
});
