// Finds a Chromium for the end-to-end tests: $CHROMIUM_PATH, then /usr/bin/chromium, then a
// Playwright-installed Chromium; as root on Debian/Ubuntu it installs the `chromium` package.
// Otherwise (or if that install fails) it throws one sentence that says how to get a browser.
// It never skips silently. The machine is reached through `system`, so a test can stand in for it.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const NO_CHROMIUM =
  'No Chromium found for the end-to-end tests: install one (e.g. `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable.';

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

/**
 * @param {Partial<typeof realSystem>} [overrides] stand-ins for parts of the machine (tests)
 * @returns {Promise<string>} the path of a Chromium executable
 */
export async function findChromium(overrides = {}) {
  const system = { ...realSystem, ...overrides };
  const fromEnv = system.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (system.exists(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
  }
  for (const path of SYSTEM_PATHS) if (system.exists(path)) return path;

  try {
    const path = await system.playwrightChromium();
    if (path && system.exists(path)) return path;
  } catch {
    /* Playwright has no browser of its own here */
  }

  if (system.isRoot() && isDebianLike(system)) {
    system.log('No Chromium found: installing Debian/Ubuntu package "chromium" (apt-get)…');
    try {
      // Other apt-get runs (other scripts, other users) hold dpkg's lock: wait for it, don't fail.
      system.run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-qq']);
      system.run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', 'chromium']);
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      system.log(`Installing chromium failed (${why}).`);
    }
    for (const path of SYSTEM_PATHS) if (system.exists(path)) return path;
  }
  throw new Error(NO_CHROMIUM);
}
