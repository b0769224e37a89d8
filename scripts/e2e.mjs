#!/usr/bin/env node
// `npm run test:e2e`: finds Chromium, builds the site twice (at / and under the /gil-lab/ base
// path), then runs the Playwright tests against the built files. Extra arguments go to Playwright.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.mjs';

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
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
run('npx', ['playwright', 'test', ...process.argv.slice(2).filter((arg) => arg !== '--no-build')], {
  CHROMIUM_PATH: chromium,
});
