// @ts-check
/**
 * Astro integration: copies the Pyodide runtime (the npm `pyodide` package) into public/pyodide/
 * when Astro sets up its config, so `astro dev`, `astro build` and `astro preview` all serve it
 * from the site itself (no CDN). The browser loads nothing of it until the reader runs Python.
 * public/pyodide/ is generated (gitignored); files are copied only when missing or changed.
 * Beside them goes python-snapshot.bin, a booted interpreter's memory (scripts/python-snapshot.mjs:
 * a few seconds, only when missing or older than pyodide.asm.wasm); without it the site still
 * works, each interpreter then boots the long way.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_FILE, ensureSnapshot } from '../scripts/python-snapshot.mjs';

/** What loadPyodide() fetches: the loader, the Emscripten glue, the wasm, the stdlib and the lock file. */
export const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];

/**
 * Copies the runtime files from node_modules/pyodide into `target`; returns how many were copied.
 * @param {string} target
 */
export function copyPyodideAssets(target) {
  const require = createRequire(import.meta.url);
  const source = dirname(require.resolve('pyodide/package.json'));
  mkdirSync(target, { recursive: true });
  let copied = 0;
  for (const file of PYODIDE_FILES) {
    const from = join(source, file);
    const to = join(target, file);
    const a = statSync(from);
    if (existsSync(to)) {
      const b = statSync(to);
      if (b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
    }
    copyFileSync(from, to);
    copied++;
  }
  return copied;
}

/** @returns {import('astro').AstroIntegration} */
export default function pyodideAssets() {
  return {
    name: 'gil-lab:pyodide-assets',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const target = join(fileURLToPath(config.publicDir), 'pyodide');
        const copied = copyPyodideAssets(target);
        if (copied > 0) logger.info(`copied ${copied} Pyodide files to ${target}`);
        try {
          if (ensureSnapshot(join(target, SNAPSHOT_FILE)))
            logger.info(`made ${SNAPSHOT_FILE} (a booted interpreter's memory)`);
        } catch (e) {
          logger.warn(`no ${SNAPSHOT_FILE}, interpreters will boot the long way: ${String(e)}`);
        }
      },
    },
  };
}
