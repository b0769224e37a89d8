// Finds a Chromium for the end-to-end tests: $CHROMIUM_PATH, then /usr/bin/chromium, then a
// Playwright-installed Chromium; as root on Debian/Ubuntu it installs the `chromium` package.
// Otherwise it throws one sentence that says how to get a browser. It never skips silently.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** @returns {Promise<string>} the path of a Chromium executable */
export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
  }
  for (const path of SYSTEM_PATHS) if (existsSync(path)) return path;

  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    if (path && existsSync(path)) return path;
  } catch {
    /* Playwright has no browser of its own here */
  }

  if (process.getuid?.() === 0 && isDebianLike()) {
    console.log('No Chromium found: installing Debian/Ubuntu package "chromium" (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit' });
    for (const path of SYSTEM_PATHS) if (existsSync(path)) return path;
  }
  throw new Error(
    'No Chromium found for the end-to-end tests: install one (e.g. `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}
