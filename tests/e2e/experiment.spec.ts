import type { Locator, Page } from '@playwright/test';
import { servers } from '../../playwright.config.ts';
import { test, expect, watchPage } from './fixtures.ts';
import { test as plainTest } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The contract other checks rely on: data-state, data-result, and the buttons' names. */
interface ResultContract {
  mode: string;
  executor: string;
  workers: number;
  wallMs: number;
  speedup: number | null;
  lockHeldShare: number | null;
  switches: number;
  overlapMs: number;
  /** The comparison with the plain loop (null for runs without one). */
  verdict: {
    speed: string | null;
    busy: boolean;
    capped: boolean;
    ceiling: number;
    pairs: number;
  } | null;
}

/** Processes that keep every core busy (a loaded machine) until killed. */
function cpuHog(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

const experiment = (page: Page, preset: string) => page.locator(`[data-experiment="${preset}"]`);

async function runToEnd(widget: Locator): Promise<ResultContract> {
  await widget.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(widget).toHaveAttribute('data-state', 'running');
  await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
  return JSON.parse((await widget.getAttribute('data-result')) ?? '{}') as ResultContract;
}

test.describe('the experiment widget', () => {
  test('under the GIL two threads never compute at once; without it they do', async ({
    page,
    problems,
  }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'countdown-gil');
    await widget.getByLabel(/GIL/).check();
    const withGil = await runToEnd(widget);
    expect(withGil.mode).toBe('gil');
    expect(withGil.workers).toBe(2);
    expect(withGil.overlapMs).toBe(0);
    expect(withGil.switches).toBeGreaterThan(2);
    expect(withGil.lockHeldShare).not.toBeNull();
    // The timeline alternates: both threads took the GIL back from each other again and again.
    const took = widget.locator('[data-timeline-table] tbody tr td:last-child');
    await expect(took).toHaveCount(2);
    for (const cell of await took.allTextContents()) expect(parseInt(cell, 10)).toBeGreaterThan(0);
    // The canvas marks the hand-offs it found (in global event order): about as many as switches
    // (the first take of the lock counts as a switch but hands nothing off).
    const canvas = widget.locator('[data-canvas]');
    const handoffs = Number(await canvas.getAttribute('data-handoffs'));
    expect(handoffs).toBeGreaterThan(1);
    expect(handoffs).toBeLessThanOrEqual(withGil.switches + withGil.workers);

    await widget.getByLabel(/GIL/).uncheck();
    const free = await runToEnd(widget);
    expect(free.mode).toBe('free-threaded');
    expect(free.overlapMs).toBeGreaterThan(0);
    expect(free.lockHeldShare).toBeNull();
    await expect(canvas).toHaveAttribute('data-handoffs', '0');
    // Both runs stay listed side by side.
    await expect(widget.locator('[data-compare-table] tbody tr')).toHaveCount(2);
    void problems;
  });

  test('under a CPU hog, GIL-on threads are never graded faster and no speed-up exceeds the cores', async ({
    page,
    problems,
  }) => {
    test.setTimeout(180_000);
    const hog = cpuHog();
    try {
      await page.goto('/lab/');
      const widget = experiment(page, 'countdown-gil');
      await widget.getByRole('radio', { name: 'faster' }).check();
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      const status = widget.getByRole('status');
      for (let i = 0; i < 2; i++) {
        const gil = await runToEnd(widget);
        expect(gil.mode).toBe('gil');
        expect(gil.verdict?.pairs).toBeGreaterThanOrEqual(1);
        expect(gil.verdict?.ceiling).toBe(1);
        expect(gil.verdict?.speed).not.toBe('faster');
        if (gil.speedup !== null) expect(gil.speedup).toBeLessThanOrEqual(1);
        await expect(status).not.toContainText('and it was');
        // Whatever the noise, the words say either a verdict or that the machine is busy.
        await expect(widget.locator('[data-results]')).toContainText(
          /as fast as the plain loop|slower than the plain loop|too close to call|machine is busy/,
        );
      }
      await widget.getByLabel(/GIL/).uncheck();
      await widget.getByLabel('Workers').fill(String(cores + 2));
      await widget.getByLabel('Workers').blur();
      const free = await runToEnd(widget);
      expect(free.mode).toBe('free-threaded');
      expect(free.verdict?.ceiling).toBe(cores);
      if (free.speedup !== null) expect(free.speedup).toBeLessThanOrEqual(cores);
      // The prediction was about the GIL-on setup: this run does not grade it.
      await expect(status).toContainText('does not check it');
    } finally {
      for (const child of hog) child.kill();
    }
    void problems;
  });

  test('Stop cancels a run, says so, and Run works again', async ({ page, problems }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'io-threads');
    await widget.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(widget).toHaveAttribute('data-state', 'running');
    await widget.getByRole('button', { name: 'Stop' }).click();
    await expect(widget).toHaveAttribute('data-state', 'cancelled');
    await expect(widget.getByRole('status')).toContainText('Stopped after');
    // The message finishes once the workers have let go, and no earlier figures stay beside it.
    await expect(widget.getByRole('status')).toContainText('Its workers have stopped');
    await expect(widget.getByRole('status')).not.toContainText('being stopped');
    await runToEnd(widget);
    // A Stop after a finished run hides that run's figures: they do not describe the new timeline.
    await widget.getByRole('button', { name: 'Run', exact: true }).click();
    await widget.getByRole('button', { name: 'Stop' }).click();
    await expect(widget).toHaveAttribute('data-state', 'cancelled');
    await expect(widget.locator('[data-results]')).toBeHidden();
    void problems;
  });

  test('Stop settles at once while the run is queued, and the queued run never starts', async ({
    page,
    problems,
  }) => {
    // Two full runs, each measured in pairs against a plain loop: seconds each on a busy machine.
    test.setTimeout(120_000);
    // A fresh page: the widget in view is still warming up and sizing its work when Run is pressed.
    await page.goto('/lab/');
    const first = experiment(page, 'countdown-gil');
    await first.getByRole('button', { name: 'Run', exact: true }).click();
    await first.getByRole('button', { name: 'Stop' }).click();
    // Generous: the reader must not wait for the sizing (about a second on a fresh page).
    await expect(first).toHaveAttribute('data-state', 'cancelled', { timeout: 1_000 });
    await expect(first.getByRole('status')).toContainText('Stopped');
    await expect(first).not.toHaveAttribute('data-result');
    await expect(first.locator('[data-results]')).toBeHidden();
    await expect(first.locator('[data-timeline-table] tr')).toHaveCount(0);

    // A second widget queued behind a run of the first: Stop settles it while the first goes on.
    await first.getByRole('button', { name: 'Run', exact: true }).click();
    // "Running…", then "Measured 1 of up to 9 pairs…": a loaded machine may pass the first
    // before it is seen (a pair of short runs takes a fraction of a second).
    await expect(first.getByRole('status')).toContainText(/Running|Measured \d/, {
      timeout: 20_000,
    });
    const second = experiment(page, 'native-release');
    await second.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(second.getByRole('status')).toContainText('Waiting');
    await second.getByRole('button', { name: 'Stop' }).click();
    await expect(second).toHaveAttribute('data-state', 'cancelled', { timeout: 1_000 });
    await expect(second.getByRole('status')).toContainText('Stopped');
    await expect(second).not.toHaveAttribute('data-result');
    await expect(second.locator('[data-timeline-table] tr')).toHaveCount(0);
    await expect(first).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
    // Nothing of the stopped run ran: the second widget never drew a run.
    await expect(second.locator('[data-timeline]')).toBeHidden();

    const result = await runToEnd(second);
    expect(result.executor).toBe('threads');
    void problems;
  });

  test('race and mixed work say that they run on threads, and the results agree', async ({
    page,
    problems,
  }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'countdown-gil');
    const executor = widget.getByLabel('Run tasks');
    await executor.selectOption('processes');
    await widget.locator('select[name="workload"]').selectOption('race');
    await expect(executor).toHaveValue('threads');
    await expect(executor.locator('option[value="processes"]')).toBeDisabled();
    await expect(widget.locator('[data-executor-note]')).toBeVisible();
    await expect(widget.getByLabel(/GIL/)).toBeVisible();
    const result = await runToEnd(widget);
    expect(result.executor).toBe('threads');
    await expect(widget.locator('[data-compare-table] tbody tr')).toContainText('2 threads');
    await expect(widget.locator('[data-python]')).toContainText('ThreadPoolExecutor');
    await widget.locator('select[name="workload"]').selectOption('cpu');
    await expect(executor.locator('option[value="processes"]')).toBeEnabled();
    await expect(widget.locator('[data-executor-note]')).toBeHidden();
    void problems;
  });

  test('20 Run/Stop cycles leave no extra workers', async ({ page, problems }) => {
    // Two full runs, each measured in pairs against a plain loop: seconds each on a busy machine.
    test.setTimeout(150_000);
    await page.goto('/lab/');
    const widget = experiment(page, 'countdown-gil');
    await runToEnd(widget);
    const warm = page.workers().length;
    expect(warm).toBeGreaterThan(0);
    const run = widget.getByRole('button', { name: 'Run', exact: true });
    const stop = widget.getByRole('button', { name: 'Stop' });
    for (let i = 0; i < 20; i++) {
      await run.click();
      await stop.click();
      await expect(widget).not.toHaveAttribute('data-state', 'running');
    }
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBeLessThanOrEqual(warm);
    await runToEnd(widget);
    void problems;
  });

  test('runs by keyboard alone and announces the result', async ({ page, problems }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'native-release');
    await widget.getByLabel('Workers').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    const run = widget.getByRole('button', { name: 'Run', exact: true });
    await run.focus();
    await page.keyboard.press('Enter');
    await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
    const status = widget.getByRole('status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(status).toContainText('Done in');
    expect(JSON.parse((await widget.getAttribute('data-result')) ?? '{}').workers).toBe(2);
    void problems;
  });

  test('clamps a worker count out of range and says what to expect', async ({ page, problems }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'countdown-gil');
    const workers = widget.getByLabel('Workers');
    await workers.fill('99');
    await workers.blur();
    await expect(workers).toHaveValue('16');
    await expect(widget.locator('[data-cores-note]')).toContainText('16 workers on');
    await workers.fill('0');
    await workers.blur();
    await expect(workers).toHaveValue('1');
    void problems;
  });

  // A browser: reduced motion is a media query and the lanes are drawn on a real canvas. A
  // process pool with 5 ms tasks (the lesson's preset, shorter): quick, and it has every kind of
  // lane, its parent (MainProcess: starting the processes, then sending tasks) included.
  test('with reduced motion, draws only the finished timeline, the pool parent’s lane too', async ({
    page,
    problems,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto('/lab/');
    await page.evaluate(() => {
      const original = document.querySelector('[data-experiment="cpu-processes"]')!;
      const copy = original.cloneNode(true) as HTMLElement;
      copy.removeAttribute('data-experiment');
      copy.id = 'quick-processes';
      const preset = JSON.parse(copy.dataset.preset!) as { settings: Record<string, unknown> };
      preset.settings = { ...preset.settings, taskMs: 5 };
      copy.dataset.preset = JSON.stringify(preset);
      original.after(copy);
    });
    const widget = page.locator('#quick-processes');
    await runToEnd(widget);
    await expect(widget.locator('[data-timeline]')).toHaveAttribute('data-live-frames', '0');
    await expect(widget.locator('[data-canvas]')).toBeVisible();
    // The text alternative has a row per lane: the two processes and their parent, which spent
    // time starting them (inside the wall time) and sending tasks.
    const rows = widget.locator('[data-timeline-table] tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(2).locator('th')).toContainText('MainProcess (the parent');
    const starting = await rows.nth(2).locator('td').first().textContent();
    expect(parseFloat(starting ?? '')).toBeGreaterThan(0);
    await expect(widget.locator('[data-results]')).toContainText('the MainProcess lane');
    void problems;
  });

  test('the Python updates as the knobs change', async ({ page, problems }) => {
    await page.goto('/lab/');
    const widget = experiment(page, 'countdown-gil');
    const code = widget.locator('[data-python]');
    await expect(code).toContainText('ThreadPoolExecutor(max_workers=2)');
    await widget.getByLabel('Workers').fill('4');
    await widget.getByLabel('Workers').blur();
    await expect(code).toContainText('ThreadPoolExecutor(max_workers=4)');
    await widget.getByLabel('Run tasks').selectOption('processes');
    await expect(code).toContainText('ProcessPoolExecutor(max_workers=4');
    void problems;
  });
});

plainTest.describe('the experiment widget without cross-origin isolation', () => {
  plainTest.use({ serviceWorkers: 'block' });

  plainTest('explains why it cannot run, with what CPython measured', async ({ page }) => {
    const problems = watchPage(page);
    await page.goto(`${servers.plain}/lab/`);
    const widget = experiment(page, 'countdown-gil');
    await expect(widget).toHaveAttribute('data-state', 'unsupported');
    await expect(widget.locator('[data-unsupported-note]')).toBeVisible();
    await expect(widget.locator('[data-unsupported-note]')).toContainText(
      'this page is not cross-origin isolated',
    );
    await expect(widget.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
    await expect(widget.locator('[data-results]')).toContainText('CPython 3.');
    // A real run recorded earlier, labelled as such, with its timeline and its table.
    await expect(widget.locator('.exp-recorded')).toContainText('recorded earlier');
    await expect(widget.locator('[data-canvas]')).toBeVisible();
    await expect(widget.locator('[data-timeline-table] tbody tr')).toHaveCount(2);
    // Its GIL hand-offs are marked (the recording switched threads over a hundred times).
    const handoffs = await widget.locator('[data-canvas]').getAttribute('data-handoffs');
    expect(Number(handoffs)).toBeGreaterThan(50);
    expect(problems.errors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});

test.describe('an isolated page in a browser without SharedArrayBuffer (as WebKitGTK ships)', () => {
  test('names the true cause: isolated, but no SharedArrayBuffer', async ({ page, problems }) => {
    await page.addInitScript(() => {
      Reflect.deleteProperty(globalThis, 'SharedArrayBuffer');
    });
    await page.goto('/lab/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const widget = experiment(page, 'countdown-gil');
    await expect(widget).toHaveAttribute('data-state', 'unsupported');
    const note = widget.locator('[data-unsupported-note]');
    await expect(note).toContainText(
      'this page is cross-origin isolated, but this browser does not',
    );
    await expect(note).not.toContainText('not cross-origin isolated');
    await expect(page.locator('[data-isolation-notice]')).toContainText(
      'does not provide SharedArrayBuffer',
    );
    void problems;
  });
});
