// What the built-site benches in Chromium share: putting a program in a Run Python block's editor,
// and the renderer processes' resident memory read from /proc (the page's main thread and every
// worker thread live there, so the interpreters' WebAssembly memory too).
import { readFileSync, readdirSync } from 'node:fs';

/** Puts `source` in the Run Python block's editor (one insertion: no auto-indent), checked. */
export async function setCode(page, runner, source) {
  const edit = runner.getByRole('button', { name: 'Edit code' });
  if (await edit.isVisible()) await edit.click();
  const editor = runner.locator('.cm-content');
  await editor.waitFor();
  for (let attempt = 0; attempt < 3; attempt++) {
    await editor.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(source);
    const text = (await runner.locator('.cm-line').allTextContents()).join('\n');
    if (text === source) return;
  }
  throw new Error(`could not put the program in the editor:\n${source}`);
}

/** Every process below `root` (a browser's process id). */
function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const under = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === root) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => pid !== root && under(pid));
}

/**
 * The renderer processes' memory below the browser process `root`, bytes, from /proc/<pid>/status:
 * `rss` everything resident; `footprint` what is the renderer's own (RssAnon + VmSwap), which is
 * Chromium's "private memory footprint" on Linux (its task manager's "Memory footprint"): `rss`
 * also counts file pages (Chromium's own executable and libraries, fonts: shared with every
 * process of the browser and read from disk again if dropped) and shared memory (`file`, `shmem`).
 */
export function rendererMemory(root) {
  const total = { rss: 0, footprint: 0, anon: 0, file: 0, shmem: 0, swap: 0 };
  for (const pid of descendants(root)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (name) =>
        Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      total.rss += kb('VmRSS');
      total.anon += kb('RssAnon');
      total.file += kb('RssFile');
      total.shmem += kb('RssShmem');
      total.swap += kb('VmSwap');
    } catch {
      // exited meanwhile
    }
  }
  total.footprint = total.anon + total.swap;
  return total;
}

/** Resident memory of the renderer processes below the browser process `root`, bytes. */
export function rendererRss(root) {
  return rendererMemory(root).rss;
}

/** USER_HZ: the unit of /proc/<pid>/stat's times on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time the renderer processes below `root` have used so far, ms (every thread: the page, its
 * workers, V8's compiler threads). Under load a wall-clock figure mostly measures the others;
 * this one measures the work.
 */
export function rendererCpuMs(root) {
  let ticks = 0;
  for (const pid of descendants(root)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The browser process started with `--user-data-dir=<dir>` (a persistent context's), or null. */
export function browserPidFor(userDataDir) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (
        argv.includes(`--user-data-dir=${userDataDir}`) &&
        !argv.some((a) => a.startsWith('--type='))
      )
        return Number(name);
    } catch {
      // exited meanwhile
    }
  }
  return null;
}
