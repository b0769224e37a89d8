import type { Locator, Page } from '@playwright/test';
import { test as plainTest } from '@playwright/test';
import { servers } from '../../playwright.config.ts';
import { test, expect, watchPage, type PageProblems } from './fixtures.ts';

/** Real CPython (Pyodide) in the browser: booting it takes seconds, so these waits are long. */
test.setTimeout(180_000);

const block = (page: Page) => page.locator('gil-python').first();

async function runToEnd(runner: Locator, state = 'done'): Promise<void> {
  await runner.getByRole('button', { name: 'Run Python' }).click();
  await expect(runner).not.toHaveAttribute('data-state', 'idle');
  await expect(runner).toHaveAttribute('data-state', state, { timeout: 150_000 });
}

/** Replaces the editor's text (CodeMirror) with `code`, one line at a time without auto-indent. */
async function typeCode(page: Page, runner: Locator, lines: string[]): Promise<void> {
  const edit = runner.getByRole('button', { name: 'Edit code' });
  if (await edit.isVisible()) await edit.click();
  const editor = runner.locator('.cm-content');
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
}

/** Replaces the editor's text with `code` in one insertion (no typing, no auto-indent). */
async function pasteCode(page: Page, runner: Locator, code: string): Promise<void> {
  const edit = runner.getByRole('button', { name: 'Edit code' });
  if (await edit.isVisible()) await edit.click();
  const editor = runner.locator('.cm-content');
  await editor.focus();
  await expect(editor).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await expect(editor).toHaveText('');
  await page.keyboard.insertText(code);
  const lines = code.trim().split('\n');
  await expect(editor.locator('.cm-line')).toHaveCount(
    code.endsWith('\n') ? lines.length + 1 : lines.length,
  );
}

/**
 * One playground page for the tests below that start there: booting Pyodide is most of a fresh
 * page's cost, and what they check is each run, not a fresh page (the first test's run is the
 * cold one; the others also show that a run works after the previous test's Stop, traceback or
 * deadlock). They run in order on that page; each ends with the page's console errors and
 * requests to another origin checked, as the `problems` fixture does for a page of its own.
 */
let shared: { page: Page; problems: PageProblems } | undefined;

/** The shared playground page, with the GIL on (a test before may have turned it off). */
async function playground(): Promise<Page> {
  const { page } = shared!;
  await block(page).getByLabel(/GIL/).check();
  return page;
}

test.describe.serial('Run Python on one playground page', () => {
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage({ baseURL: servers.preview });
    shared = { page, problems: watchPage(page) };
    await page.goto('/playground/');
  });
  test.afterEach(() => {
    const { problems } = shared!;
    expect(problems.errors, 'console errors').toEqual([]);
    expect(problems.foreignRequests, 'requests to another origin').toEqual([]);
  });
  test.afterAll(async () => {
    await shared?.page.close();
    shared = undefined;
  });

  test.describe('Run Python (CPython in Web Workers sharing one GIL)', () => {
    test('runs the playground program under the GIL, then free-threaded, with output and timeline', async () => {
      const page = await playground();
      const runner = block(page);
      await runToEnd(runner);
      const output = runner.locator('[data-output] pre');
      await expect(output).toContainText('results: [0, 0]');
      const gil = JSON.parse((await runner.getAttribute('data-result')) ?? '{}');
      // GIL mode: every thread is a call stack of one interpreter (JSPI), one lane per thread.
      expect(gil).toMatchObject({
        ok: true,
        mode: 'gil',
        engine: 'one-interpreter',
        interpreters: 1,
        // Started from the build's python-snapshot.bin (JSPI stack switching works in it).
        startedFrom: 'snapshot',
      });
      expect(gil.switches).toBeGreaterThan(0);
      expect(gil.overlapMs).toBe(0);
      await expect(runner.locator('[data-canvas]')).toBeVisible();
      expect(await runner.locator('[data-timeline-table] tbody tr').count()).toBeGreaterThanOrEqual(
        3,
      );

      await runner.getByLabel(/GIL/).uncheck();
      await runToEnd(runner);
      const free = JSON.parse((await runner.getAttribute('data-result')) ?? '{}');
      expect(free).toMatchObject({
        ok: true,
        mode: 'free-threaded',
        engine: 'interpreter-per-thread',
        lockHeldShare: null,
        startedFrom: 'snapshot',
      });
      // Its interpreters (one per thread) started from the snapshot too.
      expect(free.overlapMs).toBeGreaterThan(0);
    });

    test('runs edited code, shows a traceback, and Stop ends an infinite loop', async () => {
      const page = await playground();
      const runner = block(page);
      await typeCode(page, runner, ['print("hello from the editor")', '1 / 0']);
      await runToEnd(runner, 'error');
      const output = runner.locator('[data-output] pre');
      await expect(output).toContainText('hello from the editor');
      await expect(output).toContainText('ZeroDivisionError');
      await expect(runner.getByRole('status')).toContainText('ZeroDivisionError');

      await typeCode(page, runner, ['print("looping", flush=True)', 'while True: pass']);
      await runner.getByRole('button', { name: 'Run Python' }).click();
      await expect(output).toContainText('looping', { timeout: 150_000 });
      await runner.getByRole('button', { name: 'Stop' }).click();
      await expect(runner).toHaveAttribute('data-state', 'stopped', { timeout: 20_000 });
      await expect(runner.getByRole('status')).toContainText('Stopped');
      // Run works again after a stop. sys.exit(3) ends it as `python3 file.py` would: exit status
      // 3, no traceback, not an error.
      await pasteCode(page, runner, 'print("again")\nimport sys\nsys.exit(3)\n');
      await runToEnd(runner);
      await expect(output).toContainText('again');
      await expect(output).not.toContainText('Traceback');
      await expect(runner.getByRole('status')).toContainText('Exited with status 3 (sys.exit)');
    });

    test('lots of output: the last lines are kept with a note; the thread as a tag beside its lines; input() explained', async () => {
      const page = await playground();
      const runner = block(page);
      const output = runner.locator('[data-output] pre');
      const note = runner.locator('[data-output-note]');
      await typeCode(page, runner, ['for i in range(100_000): print(i)']);
      await runToEnd(runner);
      await expect(output).toContainText('99999');
      await expect(note).toBeVisible();
      await expect(note).toContainText('98,000 earlier lines not shown');
      // Only the kept lines are in the page, and the first kept one is the one after the note.
      const text = (await output.textContent()) ?? '';
      expect(text.split('\n').filter(Boolean)).toHaveLength(2_000);
      expect(text.startsWith('98000\n')).toBe(true);
      await expect(runner.getByRole('status')).toContainText('100,000 lines of output');

      // The text is what the program printed; the thread that printed a line is a tag beside it
      // (once per line, also when printed in pieces with end=''), drawn by CSS as generated
      // content: a real browser's rendering, selection and accessibility tree.
      await pasteCode(
        page,
        runner,
        'from concurrent.futures import ThreadPoolExecutor\ndef parts(): print("a", end=""); print("b", end=""); print("c")\nwith ThreadPoolExecutor(max_workers=1) as pool: pool.submit(parts).result()\nprint("main")\n',
      );
      await runToEnd(runner);
      await expect(output).toHaveText('abc\nmain\n');
      const line = output.locator('[data-thread]');
      await expect(line).toHaveCount(1);
      await expect(line).toHaveText('abc\n');
      const tag = await line.evaluate((el) => getComputedStyle(el, '::before').content);
      expect(tag).toContain('ThreadPoolExecutor-0_0');
      // Selecting and copying the output copies only the program's text, and the accessible text
      // of the output is the program's too (the tag's alternative text is empty).
      const copied = await output.evaluate((el) => {
        const selection = getSelection();
        selection?.selectAllChildren(el);
        const text = selection?.toString();
        selection?.removeAllRanges();
        return text;
      });
      // (Chromium's selection leaves out the final line break of a <pre>.)
      expect(copied?.replace(/\n$/, '')).toBe('abc\nmain');
      expect(await output.ariaSnapshot()).not.toContain('ThreadPoolExecutor');

      // input() says why it cannot work here (and logs no error in the console).
      await typeCode(page, runner, ['name = input("Your name? ")']);
      await runToEnd(runner, 'error');
      await expect(output).toContainText('input() is not available here');
    });

    // The worker batches output (src/runtime/python/python.api.ts): posting one message per line
    // let Python print faster than the page takes messages, and the run could only end after that
    // backlog, minutes after Stop.
    test('Stop ends an endless print loop', async () => {
      const page = await playground();
      const runner = block(page);
      await typeCode(page, runner, ['i = 0', 'while True: print(i); i += 1']);
      await runner.getByRole('button', { name: 'Run Python' }).click();
      await expect(runner.locator('[data-output-note]')).toBeVisible({ timeout: 150_000 });
      await runner.getByRole('button', { name: 'Stop' }).click();
      // ("Stopping…" shows while it stops; now that the stop is quick, often too briefly to see.)
      await expect(runner).toHaveAttribute('data-state', 'stopped', { timeout: 30_000 });
      await expect(runner.getByRole('status')).toContainText('Stopped');
      await expect(runner.getByRole('button', { name: 'Run Python' })).toBeEnabled();
    });
  });

  test.describe('Run Python threads in one interpreter (GIL mode, JSPI)', () => {
    test('threads share one list; hashlib runs in native workers; the counter race loses updates only with a call between read and write', async () => {
      const page = await playground();
      const runner = block(page);
      const output = runner.locator('[data-output] pre');
      await pasteCode(
        page,
        runner,
        `import threading\nitems = []\ndef work(n): items.extend([n] * 3)\nts = [threading.Thread(target=work, args=(k,)) for k in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(sorted(items))\n`,
      );
      await runToEnd(runner);
      await expect(output).toHaveText('[0, 0, 0, 1, 1, 1]\n');

      // hashlib and zlib on large buffers compute in native workers (plain module workers the
      // green worker calls over MessagePorts), threads waiting meanwhile without the GIL: a real
      // browser's worker boundary. The digest is python3's; the threads spent time in C code.
      await pasteCode(
        page,
        runner,
        `import hashlib, threading, zlib\ndata = bytes(range(256)) * 16384\nout = {}\ndef work(k): out[k] = hashlib.sha256(data).hexdigest()[:16]\nts = [threading.Thread(target=work, args=(k,)) for k in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(out[0] == out[1], out[0], zlib.decompress(zlib.compress(data)) == data)\n`,
      );
      await runToEnd(runner);
      await expect(output).toHaveText('True 2b07811057df8870 True\n');
      await runner.getByText('Timeline as a table').click();
      const cCode = runner
        .locator('[data-timeline-table] tbody tr')
        .filter({ hasText: 'Thread-1' })
        .locator('td')
        .nth(4);
      await expect(cCode).not.toHaveText('0.0 ms');
      await runner.getByText('Timeline as a table').click(); // closed again, for the next tests

      await pasteCode(
        page,
        runner,
        `import threading\nN = 200_000\ncounter = 0\nlock = threading.Lock()\ndef noop(): pass\ndef plain():\n    global counter\n    for _ in range(N): counter += 1\ndef racy():\n    global counter\n    for _ in range(N): v = counter; noop(); counter = v + 1\ndef locked():\n    global counter\n    for _ in range(N):\n        with lock: v = counter; noop(); counter = v + 1\ndef lost(f):\n    global counter\n    counter = 0\n    ts = [threading.Thread(target=f) for _ in range(2)]\n    for t in ts: t.start()\n    for t in ts: t.join()\n    return 2 * N - counter\nfor f in (plain, racy, locked):\n    n = lost(f)\n    for _ in range(2 if f is racy and n == 0 else 0):\n        n = lost(f)\n        if n: break\n    print(f.__name__, "lost", n)\n`,
      );
      await runToEnd(runner);
      const text = (await output.textContent()) ?? '';
      expect(text).toContain('plain lost 0\n');
      expect(text).toContain('locked lost 0\n');
      // A switch between the read and the write loses updates, as in CPython (likely, never
      // certain in one try: the racy variant gets up to three).
      expect(text).toMatch(/racy lost [1-9]\d*\n/);
    });

    test("Queue, Event, Barrier and threading.local work; a thread's exception prints as CPython's excepthook; a deadlock is reported; Stop ends 4 threads that sleep or compute", async () => {
      // Why a browser: the Node suite (green-threads.test.ts) proves each of these in the engine;
      // here they run behind a real browser's worker boundary and JSPI, and the reader's output
      // (a thread's stderr, tagged) and Stop go through the page. One page, a run each.
      const page = await playground();
      const runner = block(page);
      const output = runner.locator('[data-output] pre');
      await pasteCode(
        page,
        runner,
        `import queue, threading\nq = queue.Queue()\nev = threading.Event()\nbarrier = threading.Barrier(2)\nlocal = threading.local()\nlocal.name = "main"\ndef consumer():\n    local.name = "consumer"\n    ev.wait()\n    barrier.wait()\n    print("got", q.get(timeout=5), local.name)\ndef boom():\n    raise ValueError("bad value")\nt = threading.Thread(target=consumer)\nt.start()\nq.put(42)\nev.set()\nbarrier.wait()\nt.join()\nb = threading.Thread(target=boom, name="Worker")\nb.start()\nb.join()\nprint("main", local.name)\n`,
      );
      await runToEnd(runner);
      await expect(output).toContainText('got 42 consumer\n');
      await expect(output).toContainText(
        'Exception in thread Worker:\nTraceback (most recent call last):\n',
      );
      await expect(output).toContainText(
        'line 13, in boom\n    raise ValueError("bad value")\nValueError: bad value\n',
      );
      await expect(output).toContainText('main main\n');
      await expect(output).not.toContainText('green_thread');

      await pasteCode(
        page,
        runner,
        `import threading\nlock = threading.Lock()\nlock.acquire()\nlock.acquire()\n`,
      );
      await runToEnd(runner, 'error');
      await expect(output).toContainText('Every thread is waiting: deadlock');
      await expect(output).toContainText('line 4, in <module>');

      // Two threads sleep, two compute: Stop ends both kinds, and nothing of the runtime's own
      // unwinding (a thread's traceback, the engine's frames) reaches the reader.
      await pasteCode(
        page,
        runner,
        `import threading, time\ndef work(k):\n    if k % 2:\n        time.sleep(60)\n    while True:\n        pass\nts = [threading.Thread(target=work, args=(k,)) for k in range(4)]\nfor t in ts: t.start()\nprint("started", flush=True)\nfor t in ts: t.join()\n`,
      );
      await runner.getByRole('button', { name: 'Run Python' }).click();
      await expect(output).toContainText('started', { timeout: 150_000 });
      await runner.getByRole('button', { name: 'Stop' }).click();
      await expect(runner).toHaveAttribute('data-state', 'stopped', { timeout: 20_000 });
      await expect(output).not.toContainText(/Exception in thread|green_thread|webloop|SystemExit/);
    });
  });
});

test.describe('Run Python on a page of its own', () => {
  test('a lesson snippet, edited, runs for real with its output and timeline', async ({
    page,
    problems,
  }) => {
    await page.goto('/lessons/what-is-the-gil/');
    const runner = page.locator('gil-python[data-filename="countdown.py"]');
    await expect(runner).toHaveAttribute('data-filename', 'countdown.py');
    await runner.getByRole('button', { name: 'Edit code' }).click();
    const editor = runner.locator('.cm-content');
    await expect(editor).toBeFocused();
    // Add a line at the end of the lesson's program (its own lines stay).
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
    await page.keyboard.type('print("edited in the lesson")');
    await runToEnd(runner);
    const output = runner.locator('[data-output] pre');
    await expect(output).toContainText('2 threads:');
    await expect(output).toContainText('edited in the lesson');
    const result = JSON.parse((await runner.getAttribute('data-result')) ?? '{}');
    expect(result).toMatchObject({ ok: true, mode: 'gil', engine: 'one-interpreter' });
    await expect(runner.locator('[data-canvas]')).toBeVisible();
    expect(await runner.locator('[data-timeline-table] tbody tr').count()).toBeGreaterThanOrEqual(
      3,
    );
    // Reset brings the lesson's version back.
    await runner.getByRole('button', { name: 'Reset code' }).click();
    await expect(editor).not.toContainText('edited in the lesson');
    void problems;
  });

  test('falls back to one interpreter per thread where WebAssembly.Suspending is missing, and says so', async ({
    page,
    problems,
  }) => {
    await page.addInitScript(() => {
      delete (WebAssembly as { Suspending?: unknown }).Suspending;
    });
    await page.goto('/playground/');
    const runner = block(page);
    await runToEnd(runner);
    const result = JSON.parse((await runner.getAttribute('data-result')) ?? '{}');
    expect(result).toMatchObject({ ok: true, mode: 'gil', engine: 'interpreter-per-thread' });
    expect(result.interpreters).toBeGreaterThanOrEqual(3);
    await expect(runner.getByRole('status')).toContainText('threads share no objects');
    void problems;
  });
});

plainTest.describe('Run Python without cross-origin isolation', () => {
  plainTest.use({ serviceWorkers: 'block' });

  plainTest('explains why it is unavailable; the code still reads', async ({ page }) => {
    const problems = watchPage(page);
    await page.goto(`${servers.plain}/playground/`);
    const runner = block(page);
    await expect(runner).toHaveAttribute('data-state', 'unsupported');
    await expect(runner.locator('[data-unsupported]')).toBeVisible();
    await expect(runner.locator('[data-unsupported]')).toContainText('Run Python is unavailable');
    // The true cause, with coi-register.js's reason why the page could not be isolated.
    await expect(runner.locator('[data-unsupported]')).toContainText('not cross-origin isolated');
    await expect(runner.locator('[data-unsupported]')).toContainText('service workers are blocked');
    await expect(runner.getByRole('button', { name: 'Run Python' })).toBeDisabled();
    await expect(runner.locator('pre[data-language="python"]')).toBeVisible();
    expect(problems.errors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});

plainTest.describe('Run Python on a header-less host under a base path', () => {
  plainTest('isolates through the service worker and runs', async ({ page }) => {
    plainTest.setTimeout(180_000);
    const problems = watchPage(page);
    await page.goto(`${servers.plainBase}/playground/`);
    await expect
      .poll(() => page.evaluate(() => self.crossOriginIsolated).catch(() => false), {
        timeout: 20_000,
      })
      .toBe(true);
    const runner = block(page);
    await runToEnd(runner);
    await expect(runner.locator('[data-output] pre')).toContainText('results: [0, 0]');
    expect(problems.errors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});
