#!/usr/bin/env node
// The one finder/installer for every script that starts a browser (smoke test, e2e, engine
// suites, bench, timeline recorder). Each engine is looked for at its environment variable, then
// at Debian's paths (Chromium also at a Playwright-installed build). Whatever is missing, it
// installs as root on Debian/Ubuntu in ONE apt-get run (waiting for dpkg's lock, which other
// apt-get runs may hold); otherwise, or if that fails, it throws one sentence saying how to get
// the browser. It never skips silently. The machine is reached through `system`, so a unit test
// can stand in for it (tests/unit/site/find-browser.test.ts).
//
// CLI: node scripts/find-browser.mjs [chromium] [firefox] [webkit]   (none = all three)
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MINIBROWSER_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib',
  '/usr/libexec',
];
const WEBKIT_APIS = ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0'];

/** What each engine needs, where it lives, and which Debian packages bring it. */
export const ENGINES = {
  chromium: {
    label: 'Chromium',
    env: 'CHROMIUM_PATH',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
    packages: ['chromium'],
  },
  firefox: {
    label: 'Firefox',
    env: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    packages: ['firefox-esr'],
  },
  webkit: {
    label: 'WebKitGTK',
    env: 'WEBKIT_DRIVER_PATH',
    paths: ['/usr/bin/WebKitWebDriver'],
    // The driver package depends on the WebKitGTK library, which ships the MiniBrowser. xvfb-run
    // needs xauth, which xvfb only recommends (images that skip recommends lack it).
    packages: ['webkit2gtk-driver', 'xvfb', 'xauth'],
  },
};

export const NO_CHROMIUM =
  'No Chromium found for the browser tests: install one (e.g. `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable.';
export const NO_FIREFOX =
  'No Firefox found for the engine tests: install one (e.g. `sudo apt-get install firefox-esr`) or set FIREFOX_PATH to a Firefox executable.';
export const NO_WEBKIT =
  'No WebKitGTK found for the engine tests: install it (e.g. `sudo apt-get install webkit2gtk-driver xvfb xauth`, which bring WebKitWebDriver, the MiniBrowser and xvfb-run) or set WEBKIT_DRIVER_PATH and WEBKIT_MINIBROWSER_PATH.';
const MISSING = { chromium: NO_CHROMIUM, firefox: NO_FIREFOX, webkit: NO_WEBKIT };

/** The real machine. */
const realSystem = {
  env: process.env,
  exists: existsSync,
  isRoot: () => process.getuid?.() === 0,
  osRelease: () => readFileSync('/etc/os-release', 'utf8'),
  async playwrightChromium() {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath();
  },
  run(command, args) {
    execFileSync(command, args, { stdio: 'inherit' });
  },
  log: (line) => console.log(line),
};

function isDebianLike(system) {
  try {
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(system.osRelease());
  } catch {
    return false;
  }
}

/** An environment variable's path, checked; `undefined` if the variable is not set. */
function fromEnv(system, name) {
  const path = system.env[name];
  if (!path) return undefined;
  if (system.exists(path)) return path;
  throw new Error(`${name} is set to ${path}, but no file is there.`);
}

const firstExisting = (system, paths) => paths.find((path) => system.exists(path)) ?? null;

/** Where an engine is now, without installing anything; `null` if it is not (all) there. */
async function locate(name, system) {
  const engine = ENGINES[name];
  const set = fromEnv(system, engine.env);
  if (name === 'webkit') {
    const driver = set ?? firstExisting(system, engine.paths);
    const miniBrowser =
      fromEnv(system, 'WEBKIT_MINIBROWSER_PATH') ??
      firstExisting(
        system,
        MINIBROWSER_DIRS.flatMap((dir) => WEBKIT_APIS.map((api) => `${dir}/${api}/MiniBrowser`)),
      );
    const xvfbRun = system.exists('/usr/bin/xauth') && firstExisting(system, ['/usr/bin/xvfb-run']);
    return driver && miniBrowser && xvfbRun ? { driver, miniBrowser, xvfbRun } : null;
  }
  if (set) return set;
  const found = firstExisting(system, engine.paths);
  if (found || name !== 'chromium') return found;
  try {
    const path = await system.playwrightChromium();
    if (path && system.exists(path)) return path;
  } catch {
    /* Playwright has no browser of its own here */
  }
  return null;
}

/**
 * Finds (installing if it must) each engine named.
 * @param {Array<'chromium' | 'firefox' | 'webkit'>} names
 * @param {Partial<typeof realSystem>} [overrides] stand-ins for parts of the machine (tests)
 * @returns {Promise<Record<string, any>>} chromium/firefox: an executable's path;
 *   webkit: { driver, miniBrowser, xvfbRun }
 */
export async function findBrowsers(names, overrides = {}) {
  const system = { ...realSystem, ...overrides };
  const found = {};
  for (const name of names) found[name] = await locate(name, system);
  const missing = names.filter((name) => !found[name]);
  if (missing.length && system.isRoot() && isDebianLike(system)) {
    const packages = missing.flatMap((name) => ENGINES[name].packages);
    system.log(
      `Not installed: ${missing.join(', ')}. Installing Debian packages ${packages.join(' ')} (apt-get)…`,
    );
    try {
      // Other apt-get runs (other scripts, other users) hold dpkg's lock: wait for it, don't fail.
      system.run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-qq']);
      system.run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', ...packages]);
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      system.log(`Installing ${packages.join(' ')} failed (${why}).`);
    }
    for (const name of missing) found[name] = await locate(name, system);
  }
  const still = names.find((name) => !found[name]);
  if (still) throw new Error(MISSING[still]);
  return found;
}

/** @returns {Promise<string>} the path of a Chromium executable */
export async function findChromium(overrides = {}) {
  return (await findBrowsers(['chromium'], overrides)).chromium;
}

/** @returns {Promise<string>} the path of a Firefox executable */
export async function findFirefox(overrides = {}) {
  return (await findBrowsers(['firefox'], overrides)).firefox;
}

/** @returns {Promise<{ driver: string, miniBrowser: string, xvfbRun: string }>} */
export async function findWebKit(overrides = {}) {
  return (await findBrowsers(['webkit'], overrides)).webkit;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const asked = process.argv.slice(2);
  const names = asked.length ? asked : Object.keys(ENGINES);
  const unknown = names.find((name) => !(name in ENGINES));
  if (unknown) {
    console.error(`Unknown engine "${unknown}": choose from ${Object.keys(ENGINES).join(', ')}.`);
    process.exit(2);
  }
  try {
    const found = await findBrowsers(names);
    for (const name of names) {
      const where = typeof found[name] === 'string' ? found[name] : JSON.stringify(found[name]);
      console.log(`${ENGINES[name].label}: ${where}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
