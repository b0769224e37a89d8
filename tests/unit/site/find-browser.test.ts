/** The one browser finder: its search order, the one Debian install, and the one-sentence failure. */
import { describe, expect, it } from 'vitest';
import {
  NO_CHROMIUM,
  NO_FIREFOX,
  NO_WEBKIT,
  findBrowsers,
  findChromium,
  findFirefox,
  findWebKit,
  type BrowserSystem,
} from '../../../scripts/find-browser.mjs';

const DEBIAN = 'ID=debian\nVERSION_ID="12"\n';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WEBKIT_FILES = [
  '/usr/bin/WebKitWebDriver',
  MINIBROWSER,
  '/usr/bin/xvfb-run',
  '/usr/bin/xauth',
];

/** What Debian's packages put on the machine (stand-ins for apt-get install). */
const PACKAGE_FILES: Record<string, string[]> = {
  chromium: ['/usr/bin/chromium'],
  'firefox-esr': ['/usr/bin/firefox-esr'],
  'webkit2gtk-driver': ['/usr/bin/WebKitWebDriver', MINIBROWSER],
  xvfb: ['/usr/bin/xvfb-run'],
  xauth: ['/usr/bin/xauth'],
};

/** A machine with the given files; records commands run. */
function machine(files: string[], more: Partial<BrowserSystem> = {}) {
  const present = new Set(files);
  const ran: string[] = [];
  const system: Partial<BrowserSystem> = {
    env: {},
    exists: (p) => present.has(p),
    isRoot: () => false,
    osRelease: () => 'ID=fedora\n',
    playwrightChromium: () => Promise.reject(new Error('no browsers installed')),
    run: (command, args) => void ran.push([command, ...args].join(' ')),
    log: () => undefined,
    ...more,
  };
  return { system, ran, present };
}

/** A fresh Debian machine, as root: apt-get install puts the packages' files in place. */
function freshDebian() {
  const m = machine([], { isRoot: () => true, osRelease: () => DEBIAN });
  m.system.run = (command, args) => {
    m.ran.push([command, ...args].join(' '));
    if (args.includes('install')) {
      for (const name of args) for (const file of PACKAGE_FILES[name] ?? []) m.present.add(file);
    }
  };
  return m;
}

describe('finding Chromium', () => {
  it('takes $CHROMIUM_PATH first, and says so if it points at nothing', async () => {
    const { system } = machine(['/opt/chrome', '/usr/bin/chromium']);
    expect(await findChromium({ ...system, env: { CHROMIUM_PATH: '/opt/chrome' } })).toBe(
      '/opt/chrome',
    );
    await expect(findChromium({ ...system, env: { CHROMIUM_PATH: '/nope' } })).rejects.toThrow(
      'CHROMIUM_PATH is set to /nope, but no file is there.',
    );
  });

  it('then the system Chromium, then Playwright’s own', async () => {
    expect(await findChromium(machine(['/usr/bin/chromium']).system)).toBe('/usr/bin/chromium');
    const pw = '/root/.cache/ms-playwright/chromium/chrome';
    const { system } = machine([pw], { playwrightChromium: () => Promise.resolve(pw) });
    expect(await findChromium(system)).toBe(pw);
  });

  it('as root on Debian, installs the chromium package, waiting for dpkg’s lock', async () => {
    const { system, ran } = freshDebian();
    expect(await findChromium(system)).toBe('/usr/bin/chromium');
    expect(ran).toEqual([
      'apt-get -o DPkg::Lock::Timeout=600 update -qq',
      'apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium',
    ]);
  });

  it('stops with one sentence when the install fails (no network)', async () => {
    const { system } = machine([], {
      isRoot: () => true,
      osRelease: () => DEBIAN,
      run: () => {
        throw new Error('Command failed: apt-get update -qq\nE: network unreachable');
      },
    });
    await expect(findChromium(system)).rejects.toThrow(NO_CHROMIUM);
  });

  it('stops with one sentence elsewhere, and never installs without root', async () => {
    const { system, ran } = machine([], { osRelease: () => DEBIAN });
    await expect(findChromium(system)).rejects.toThrow(NO_CHROMIUM);
    expect(ran).toEqual([]);
    for (const sentence of [NO_CHROMIUM, NO_FIREFOX, NO_WEBKIT]) {
      expect(sentence).toMatch(/^No [^\n]*\.$/);
    }
  });
});

describe('finding Firefox and WebKitGTK', () => {
  it('finds Debian’s Firefox ESR, or $FIREFOX_PATH', async () => {
    expect(await findFirefox(machine(['/usr/bin/firefox-esr']).system)).toBe(
      '/usr/bin/firefox-esr',
    );
    const { system } = machine(['/opt/firefox/firefox'], {
      env: { FIREFOX_PATH: '/opt/firefox/firefox' },
    });
    expect(await findFirefox(system)).toBe('/opt/firefox/firefox');
  });

  it('finds WebKitGTK’s driver, the MiniBrowser under the library’s folder, and xvfb-run', async () => {
    expect(await findWebKit(machine(WEBKIT_FILES).system)).toEqual({
      driver: '/usr/bin/WebKitWebDriver',
      miniBrowser: MINIBROWSER,
      xvfbRun: '/usr/bin/xvfb-run',
    });
  });

  it('counts WebKitGTK missing while any part is (no xvfb-run or xauth: no display for it)', async () => {
    for (const gone of ['/usr/bin/xvfb-run', '/usr/bin/xauth', MINIBROWSER]) {
      const { system } = machine(WEBKIT_FILES.filter((file) => file !== gone));
      await expect(findWebKit(system)).rejects.toThrow(NO_WEBKIT);
    }
  });

  it('on a fresh Debian machine, installs every missing engine in one apt-get run', async () => {
    const { system, ran } = freshDebian();
    const found = await findBrowsers(['chromium', 'firefox', 'webkit'], system);
    expect(found).toEqual({
      chromium: '/usr/bin/chromium',
      firefox: '/usr/bin/firefox-esr',
      webkit: {
        driver: '/usr/bin/WebKitWebDriver',
        miniBrowser: MINIBROWSER,
        xvfbRun: '/usr/bin/xvfb-run',
      },
    });
    expect(ran).toEqual([
      'apt-get -o DPkg::Lock::Timeout=600 update -qq',
      'apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium firefox-esr webkit2gtk-driver xvfb xauth',
    ]);
  });

  it('installs only what is missing, and installs nothing when all is there', async () => {
    const partly = freshDebian();
    partly.present.add('/usr/bin/chromium');
    await findBrowsers(['chromium', 'firefox'], partly.system);
    expect(partly.ran[1]).toBe('apt-get -o DPkg::Lock::Timeout=600 install -y -qq firefox-esr');
    const { system, ran } = machine(
      ['/usr/bin/chromium', '/usr/bin/firefox-esr', ...WEBKIT_FILES],
      {
        isRoot: () => true,
        osRelease: () => DEBIAN,
      },
    );
    await findBrowsers(['chromium', 'firefox', 'webkit'], system);
    expect(ran).toEqual([]);
  });
});
