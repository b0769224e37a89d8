// The course's promises, checked the same way in every engine (drivers.mjs): the page becomes
// cross-origin isolated under headers and on a plain host (one reload, never a loop), says the
// true cause where it cannot; an experiment runs with the GIL on (no overlap) and off (overlap);
// Run Python prints; a lesson marked complete stays so after a reload; and no reader's page logs
// an error. Chromium's own, fuller suite is tests/e2e (Playwright).
import { mkdir } from 'node:fs/promises';

const LESSON = '/lessons/what-is-the-gil/';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `fn` in the page until it returns something truthy; errors while navigating retry. A
 * result `{ failed: why }` means the page reached a state it will not leave: stop at once.
 */
async function waitFor(driver, what, fn, args = [], timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let last;
    try {
      const value = await driver.evaluate(fn, ...args);
      if (value?.failed) throw new Error(`while waiting for ${what}: ${value.failed}`);
      if (value) return value;
      last = JSON.stringify(value);
    } catch (error) {
      if (String(error?.message).startsWith('while waiting for')) throw error;
      last = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
    if (Date.now() > until)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${last})`);
    await sleep(250);
  }
}

function expect(ok, message) {
  if (!ok) throw new Error(message);
}

/** Waits until the page has loaded and coi-register.js has decided, then until it stays put. */
async function settled(driver) {
  await waitFor(
    driver,
    'the page to load and decide about isolation',
    () =>
      document.readyState === 'complete' &&
      '__gilLabEngines' in window &&
      document.documentElement.dataset.isolation !== 'pending',
  );
  await sleep(1500); // a reload, if one were coming, would have started by now
  return waitFor(driver, 'the page after settling', () => ({
    isolated: self.crossOriginIsolated === true,
    state: document.documentElement.dataset.isolation,
    reason: document.documentElement.dataset.isolationReason ?? null,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    loads: window.__gilLabEngines.read().loads,
  }));
}

/** Runs one experiment to its end and returns its data-result contract. */
async function runExperiment(driver, preset) {
  const widget = `[data-experiment="${preset}"]`;
  await driver.click(`${widget} [data-run]`);
  await waitFor(
    driver,
    `experiment ${preset} to finish`,
    (sel) => {
      const state = document.querySelector(sel)?.getAttribute('data-state');
      if (state === 'error' || state === 'unsupported') {
        return {
          failed: `${state}: ${document.querySelector(`${sel} [data-status]`)?.textContent}`,
        };
      }
      return state === 'done';
    },
    [widget],
    120_000,
  );
  return driver.evaluate(
    (sel) => JSON.parse(document.querySelector(sel).getAttribute('data-result') ?? '{}'),
    widget,
  );
}

/**
 * @param {object} driver   from drivers.mjs
 * @param {{ headers: string, plain: string, defeated: string }} sites  base URLs (no trailing /)
 * @param {{ log: (line: string) => void, artifacts: string }} options
 * @returns {Promise<{ passed: number, failed: number }>}
 */
export async function runSuite(driver, sites, { log, artifacts }) {
  const errors = [];
  /** Moves the page's recorded problems and the browser's into `errors`. */
  const collect = async () => {
    const page = await driver
      .evaluate(() => window.__gilLabEngines?.take().errors ?? [])
      .catch(() => []);
    errors.push(...page, ...driver.browserErrors());
  };
  let passed = 0;
  let failed = 0;
  const check = async (name, body) => {
    const started = Date.now();
    try {
      await body();
      passed++;
      log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
      const file = `${artifacts}/${driver.name}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
      await mkdir(artifacts, { recursive: true });
      await driver
        .screenshot(file)
        .then(() => log(`     screenshot: ${file}`))
        .catch(() => undefined);
    }
  };

  await check('plain host: isolated by the service worker after exactly one reload', async () => {
    await driver.goto(`${sites.plain}${LESSON}`);
    const page = await settled(driver);
    expect(page.isolated && page.state === 'isolated', `not isolated: ${JSON.stringify(page)}`);
    expect(page.loads === 2, `expected 2 document loads (one reload), saw ${page.loads}`);
    await collect();
    await driver.goto(`${sites.plain}/`);
    const later = await settled(driver);
    expect(later.isolated, 'a later visit was not isolated');
    expect(later.loads === 3, `a later visit reloaded again (${later.loads} loads in all)`);
    await collect();
  });

  await check(
    'plain host whose service worker is defeated: one reload, then the true cause',
    async () => {
      await driver.goto(`${sites.defeated}${LESSON}`);
      const page = await settled(driver);
      expect(page.loads === 2, `expected 2 document loads, saw ${page.loads}`);
      expect(!page.isolated && page.state === 'unavailable', `state: ${JSON.stringify(page)}`);
      const said = await waitFor(driver, 'the notice and the widget to say why', () => {
        const notice = document.querySelector('[data-isolation-notice]');
        const note = document.querySelector('[data-experiment] [data-unsupported-note]');
        return notice && note && !note.hidden && notice.offsetParent !== null
          ? { notice: notice.textContent, note: note.textContent }
          : null;
      });
      expect(/strips or overrides the headers/.test(said.notice), `notice: ${said.notice}`);
      expect(/not cross-origin isolated/.test(said.note), `widget: ${said.note}`);
      await collect();
    },
  );

  await check('headers host: isolated on the first load, with SharedArrayBuffer', async () => {
    await driver.goto(`${sites.headers}/lab/`);
    const page = await settled(driver);
    expect(page.isolated && page.sharedArrayBuffer, `page: ${JSON.stringify(page)}`);
    expect(page.loads === 1, `reloaded although the host sends the headers (${page.loads} loads)`);
    await collect();
  });

  await check('experiment with the GIL: never two threads at once', async () => {
    const gil = '[data-experiment="countdown-gil"] input[name="gil"]';
    if (!(await driver.evaluate((sel) => document.querySelector(sel).checked, gil)))
      await driver.click(gil);
    const result = await runExperiment(driver, 'countdown-gil');
    expect(result.mode === 'gil', `mode ${result.mode}`);
    expect(result.overlapMs === 0, `threads overlapped for ${result.overlapMs} ms under the GIL`);
    expect(result.switches > 2, `the GIL changed hands only ${result.switches} times`);
    await collect();
  });

  await check('experiment free-threaded: the threads overlap', async () => {
    await driver.click('[data-experiment="countdown-gil"] input[name="gil"]');
    const result = await runExperiment(driver, 'countdown-gil');
    expect(result.mode === 'free-threaded', `mode ${result.mode}`);
    expect(result.overlapMs > 0, 'no overlap without the GIL');
    await collect();
  });

  await check('Run Python: CPython runs the playground program and prints', async () => {
    await driver.goto(`${sites.headers}/playground/`);
    await settled(driver);
    await driver.click('gil-python [data-run]');
    const output = await waitFor(
      driver,
      'Run Python to finish',
      () => {
        const el = document.querySelector('gil-python');
        const state = el?.getAttribute('data-state');
        if (state === 'error' || state === 'unsupported') {
          return { failed: `${state}: ${el.querySelector('[data-status]')?.textContent}` };
        }
        return state === 'done' && el.querySelector('[data-output] pre')?.textContent;
      },
      [],
      240_000,
    );
    expect(output.includes('results: [0, 0]'), `output: ${output.slice(0, 300)}`);
    await collect();
  });

  await check('a lesson marked complete is still complete after a reload', async () => {
    await driver.goto(`${sites.headers}${LESSON}`);
    await settled(driver);
    const toggle = 'gil-lesson-complete button[aria-pressed]';
    const pressed = () =>
      driver.evaluate((sel) => document.querySelector(sel)?.getAttribute('aria-pressed'), toggle);
    if ((await pressed()) !== 'false') throw new Error(`starts as aria-pressed=${await pressed()}`);
    await driver.click(toggle);
    await waitFor(
      driver,
      'the toggle to be pressed',
      (sel) => document.querySelector(sel)?.getAttribute('aria-pressed') === 'true',
      [toggle],
    );
    await driver.reload();
    await settled(driver);
    await waitFor(
      driver,
      'the lesson to show as complete after the reload',
      (sel) => document.querySelector(sel)?.getAttribute('aria-pressed') === 'true',
      [toggle],
    );
    await collect();
  });

  await check('no error logged on any page of this suite', async () => {
    await collect();
    expect(errors.length === 0, `${errors.length} error(s):\n       ${errors.join('\n       ')}`);
  });

  return { passed, failed };
}
