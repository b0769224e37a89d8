#!/usr/bin/env node
// `npm run test:e2e`: finds Chromium, builds the site twice (at / and under the /gil-lab/ base
// path), then runs the Playwright tests against the built files: the `parallel` project (two
// tests at a time), then the `serial` one (one at a time, nothing beside it; see
// playwright.config.ts). Both always run; the exit code is the first failure's. Extra arguments
// go to Playwright (with `--project`, it runs just once, as asked).
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.mjs';

/** Runs a command to its end; returns its exit status. */
function status(command, args, env = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
  return result.status ?? 1;
}

function run(command, args, env = {}) {
  const code = status(command, args, env);
  if (code !== 0) process.exit(code);
}

let chromium;
try {
  chromium = await findChromium();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
console.log(`e2e: using Chromium at ${chromium}`);

if (!process.argv.includes('--no-build')) {
  run('npx', ['astro', 'build']);
  run('npx', ['astro', 'build', '--outDir', 'dist-base'], { BASE_PATH: '/gil-lab/' });
}
const extra = process.argv.slice(2).filter((arg) => arg !== '--no-build');
const phases = extra.some((arg) => arg.startsWith('--project'))
  ? [extra]
  : // A spec named on the command line may belong to one project only: the other finds none.
    ['parallel', 'serial'].map((project) => [
      `--project=${project}`,
      '--pass-with-no-tests',
      ...extra,
    ]);
const codes = phases.map((args) =>
  status('npx', ['playwright', 'test', ...args], { CHROMIUM_PATH: chromium }),
);
process.exitCode = codes.find((code) => code !== 0) ?? 0;
