import { createServer, type Server } from 'node:http';
import type { Locator, Page } from '@playwright/test';
import { test as plainTest } from '@playwright/test';
import { contentSecurityPolicy } from '../../scripts/isolation-headers.mjs';
import { test, expect, builtPages } from './fixtures.ts';

/**
 * No request leaves the origin, whatever a page or a reader's program tries: every page carries a
 * Content-Security-Policy (hashes for its inline scripts, connect-src 'self'), every worker gets
 * the site's policy from its response headers, and the Python worker has no network API left.
 * A stand-in server on another origin counts what reaches it: nothing may.
 */
test.setTimeout(180_000);

let foreign: Server;
let hits: string[] = [];
let foreignOrigin = '';

plainTest.beforeAll(async () => {
  foreign = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/javascript' });
    res.end('export default 1;');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const address = foreign.address();
  foreignOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
plainTest.afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));
plainTest.beforeEach(() => {
  hits = [];
});

/** Replaces the editor's text with `lines` (no auto-indent); retyped if the editor was still mounting. */
async function typeCode(page: Page, runner: Locator, lines: string[]): Promise<void> {
  const edit = runner.getByRole('button', { name: 'Edit code' });
  if (await edit.isVisible()) await edit.click();
  const editor = runner.locator('.cm-content');
  const typed = runner.locator('.cm-line');
  for (let attempt = 0; ; attempt++) {
    await editor.focus();
    await expect(editor).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    for (const line of lines) {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    const text = await typed.allTextContents();
    if (JSON.stringify(text) === JSON.stringify([...lines, ''])) return;
    expect(attempt, `the editor holds ${JSON.stringify(text)}`).toBeLessThan(2);
  }
}

async function run(runner: Locator, state: string): Promise<void> {
  await runner.getByRole('button', { name: 'Run Python' }).click();
  await expect(runner).not.toHaveAttribute('data-state', 'idle');
  await expect(runner).toHaveAttribute('data-state', state, { timeout: 150_000 });
}

test.describe('Content-Security-Policy', () => {
  test('every page carries its policy, runs its inline scripts, and logs no violation', async ({
    page,
    problems,
  }) => {
    const violations: string[] = [];
    await page.exposeFunction('gilLabViolation', (v: string) => violations.push(v));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { gilLabViolation: (v: string) => void }).gilLabViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      ),
    );
    for (const path of builtPages()) {
      const response = await page.goto(path);
      expect(response?.headers()['content-security-policy']).toBe(contentSecurityPolicy);
      const meta = page.locator('meta[http-equiv="content-security-policy"]');
      await expect(meta).toHaveCount(1);
      expect(await meta.getAttribute('content')).toContain("connect-src 'self'");
      // Starlight's inline theme script ran (it sets data-theme before paint).
      await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
    }
    expect(violations).toEqual([]);
    void problems;
  });

  plainTest('a page cannot send a request to another origin', async ({ page }) => {
    await page.goto('/playground/');
    const outcome = await page.evaluate(async (origin) => {
      const tries: Record<string, string> = {};
      tries.fetch = await fetch(`${origin}/page-fetch`).then(
        () => 'sent',
        () => 'blocked',
      );
      tries.image = await new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve('sent');
        img.onerror = () => resolve('blocked');
        img.src = `${origin}/page-image`;
      });
      tries.import = await import(/* @vite-ignore */ `${origin}/page-import.js`).then(
        () => 'sent',
        () => 'blocked',
      );
      return tries;
    }, foreignOrigin);
    expect(outcome).toEqual({ fetch: 'blocked', image: 'blocked', import: 'blocked' });
    expect(hits).toEqual([]);
  });

  plainTest(
    'a Python program reaches no other origin: no network API in its worker, the policy blocks the rest',
    async ({ page }) => {
      await page.goto('/playground/');
      const runner = page.locator('gil-python').first();
      await typeCode(page, runner, [
        'import js',
        'names = ("fetch", "XMLHttpRequest", "WebSocket", "EventSource", "Worker", "caches")',
        'print("left:", [n for n in names if hasattr(js, n)])',
        `js.Function("import('${foreignOrigin}/python-import.js').catch(() => 0)")()`,
        'print("done")',
      ]);
      await run(runner, 'done');
      const output = runner.locator('[data-output] pre');
      await expect(output).toContainText('left: []');
      await expect(output).toContainText('done');
      // The worker itself: its response headers gave it the site's policy.
      // GIL mode runs in the one-interpreter engine's green.worker (python.worker where JSPI is missing).
      const worker = page.workers().find((w) => /(green|python)\.worker/.test(w.url()));
      expect(worker, 'the Python worker').toBeDefined();
      const fromWorker = await worker!.evaluate(async (origin) => {
        return import(/* @vite-ignore */ `${origin}/worker-import.js`).then(
          () => 'sent',
          () => 'blocked',
        );
      }, foreignOrigin);
      expect(fromWorker).toBe('blocked');
      await page.waitForTimeout(500);
      expect(hits).toEqual([]);
    },
  );

  plainTest(
    'a worker cannot send a request to another origin (its connect-src is the site)',
    async ({ page }) => {
      await page.goto('/lab/');
      await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
      // The lab warms an experiment's thread worker as soon as the experiment is in view.
      await expect
        .poll(() => page.workers().some((w) => /thread\.worker/.test(w.url())))
        .toBe(true);
      const worker = page.workers().find((w) => /thread\.worker/.test(w.url()))!;
      const outcome = await worker.evaluate(async (origin) => {
        const tries: Record<string, string> = {};
        tries.fetch = await fetch(`${origin}/worker-fetch`).then(
          () => 'sent',
          () => 'blocked',
        );
        tries.xhr = await new Promise<string>((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.onload = () => resolve('sent');
          xhr.onerror = () => resolve('blocked');
          try {
            xhr.open('GET', `${origin}/worker-xhr`);
            xhr.send();
          } catch {
            resolve('blocked');
          }
        });
        return tries;
      }, foreignOrigin);
      expect(outcome).toEqual({ fetch: 'blocked', xhr: 'blocked' });
      await page.waitForTimeout(300);
      expect(hits).toEqual([]);
    },
  );

  plainTest(
    'js.self.close() ends the run with a clear message; the next run works',
    async ({ page }) => {
      await page.goto('/playground/');
      const runner = page.locator('gil-python').first();
      await typeCode(page, runner, ['import js', 'js.self.close()']);
      await run(runner, 'error');
      await expect(runner.getByRole('status')).toContainText('cannot close its worker');
      await typeCode(page, runner, ['print("still here")']);
      await run(runner, 'done');
      await expect(runner.locator('[data-output] pre')).toContainText('still here');
    },
  );
});
