// One small interface over three ways of driving a browser, so one suite (suite.mjs) runs in
// every engine:
//   firefox  - Debian's Firefox ESR over WebDriver BiDi (puppeteer-core; no geckodriver, and
//              puppeteer-core never downloads a browser)
//   webkit   - WebKitGTK's MiniBrowser through WebKitWebDriver (selenium-webdriver, classic
//              WebDriver) under xvfb-run: it has no headless mode
//   chromium - Debian's Chromium (playwright-core), to check the suite itself quickly
// All browsers come from scripts/find-browser.mjs, which installs them when it must.
//
// A driver: { name, version, goto(url), evaluate(fn, ...args), click(selector), reload(),
//   browserErrors(), screenshot(file), close() }. `evaluate` runs `fn` (async allowed) in the page
//   and returns its JSON-able result; `browserErrors` is what the browser itself logged as errors
//   (empty where classic WebDriver gives no log: the page hook records those instead).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { findChromium, findFirefox, findWebKit } from '../../scripts/find-browser.mjs';

/** Runs `fn` in every driver the same way: as source, so nothing of Node's closure leaks in. */
const call = (fn, args) => `return (${fn.toString()}).apply(null, ${JSON.stringify(args)});`;

async function firefox() {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: await findFirefox(),
    headless: true,
    // No updates, telemetry or other calls home: the network here is closed.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return {
    name: 'firefox',
    version: await browser.version(),
    goto: (url) => page.goto(url, { waitUntil: 'load' }).then(() => undefined),
    evaluate: (fn, ...args) => page.evaluate(new Function(call(fn, args))),
    click: (selector) => page.click(selector),
    reload: () => page.reload({ waitUntil: 'load' }).then(() => undefined),
    browserErrors: () => errors.splice(0),
    screenshot: (file) => page.screenshot({ path: file }).then(() => undefined),
    close: () => browser.close(),
  };
}

/** A free TCP port on 127.0.0.1 for WebKitWebDriver. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function webkit() {
  const { Builder } = await import('selenium-webdriver');
  const { driver: driverPath, miniBrowser, xvfbRun } = await findWebKit();
  const port = await freePort();
  // WebKitGTK builds ship without SharedArrayBuffer even on a cross-origin-isolated page (WebKit
  // bug 317847). JSC_useSharedArrayBuffer=1 turns it on: this is our stand-in for Safari, which
  // has it on isolated pages. It also gives NON-isolated pages SharedArrayBuffer, so the suite
  // tests the not-isolated path by what the page says, and Firefox and Chromium test it too.
  const service = spawn(xvfbRun, ['-a', driverPath, `--port=${port}`, '--host=127.0.0.1'], {
    detached: true, // its own process group: closing ends xvfb-run, Xvfb and the driver
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, JSC_useSharedArrayBuffer: '1' },
  });
  const stopService = () => {
    try {
      process.kill(-service.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  // Detached, it would outlive this process: end it when this process ends, however it ends.
  process.once('exit', stopService);
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`${url}/status`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (tries > 300) throw new Error('WebKitWebDriver did not start within 30 s.');
      await new Promise((r) => setTimeout(r, 100));
    }
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
      })
      .build();
    await driver.manage().setTimeouts({ script: 300_000, pageLoad: 120_000 });
    const version = (await driver.getCapabilities()).get('browserVersion');
    const { By } = await import('selenium-webdriver');
    return {
      name: 'webkit',
      version: `WebKitGTK ${version} (MiniBrowser, JSC_useSharedArrayBuffer=1)`,
      goto: (to) => driver.get(to),
      // Classic WebDriver: an async script reports through the callback it is given last.
      evaluate: (fn, ...args) =>
        driver
          .executeAsyncScript(
            `const done = arguments[arguments.length - 1];
           Promise.resolve().then(() => { ${call(fn, args)} })
             .then((value) => done({ value }), (error) => done({ error: String(error) }));`,
          )
          .then((out) => {
            if (out && 'error' in out) throw new Error(out.error);
            return out?.value;
          }),
      click: async (selector) => {
        const element = await driver.findElement(By.css(selector));
        // WebKitWebDriver does not scroll a control below the fold into view before clicking.
        await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
        try {
          await element.click();
        } catch (error) {
          throw new Error(`clicking ${selector}: ${error?.name} ${error?.message}`, {
            cause: error,
          });
        }
      },
      reload: () => driver.navigate().refresh(),
      browserErrors: () => [],
      // Window screenshots: WebKitGTK's element screenshots come back black.
      screenshot: async (file) => writeFile(file, await driver.takeScreenshot(), 'base64'),
      close: async () => {
        await driver.quit().catch(() => undefined);
        stopService();
      },
    };
  } catch (error) {
    stopService();
    throw error;
  }
}

async function chromium() {
  const { chromium: launcher } = await import('playwright-core');
  const browser = await launcher.launch({
    executablePath: await findChromium(),
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    goto: (url) => page.goto(url).then(() => undefined),
    evaluate: (fn, ...args) => page.evaluate(new Function(call(fn, args))),
    click: (selector) => page.click(selector),
    reload: () => page.reload().then(() => undefined),
    browserErrors: () => errors.splice(0),
    screenshot: (file) => page.screenshot({ path: file }).then(() => undefined),
    close: () => browser.close(),
  };
}

export const DRIVERS = { firefox, webkit, chromium };
