/** The e2e tests' browser search: its order, the Debian install, and the one-sentence failure. */
import { describe, expect, it } from 'vitest';
import { NO_CHROMIUM, findChromium, type ChromiumSystem } from '../../../scripts/find-chromium.mjs';

const DEBIAN = 'ID=debian\nVERSION_ID="12"\n';

/** A machine with the given files; records commands run. */
function machine(files: string[], more: Partial<ChromiumSystem> = {}) {
  const present = new Set(files);
  const ran: string[] = [];
  const system: Partial<ChromiumSystem> = {
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

describe('finding Chromium for the e2e tests', () => {
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

  it('as root on Debian, installs the chromium package', async () => {
    const { system, ran, present } = machine([], { isRoot: () => true, osRelease: () => DEBIAN });
    system.run = (command, args) => {
      ran.push([command, ...args].join(' '));
      if (args.includes('install')) present.add('/usr/bin/chromium');
    };
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
    expect(NO_CHROMIUM).toMatch(/^No Chromium found[^\n]*\.$/);
  });
});
