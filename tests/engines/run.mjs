#!/usr/bin/env node
// `npm run test:engines`: the course in Firefox (Gecko) and WebKitGTK (WebKit), one after the
// other (two engines at once on two cores would starve the experiments' threads).
//   node tests/engines/run.mjs [firefox] [webkit] [chromium] [--no-build]
// No engine named = firefox and webkit (Chromium's full suite is tests/e2e). It builds the site
// (skip with --no-build to reuse dist/), serves it three ways on free ports (with the COOP/COEP
// headers; plain; plain with a defeated service worker), runs suite.mjs in each engine, and
// reports which engines ran. Browsers come from scripts/find-browser.mjs (installed if missing).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { serveStatic } from '../../scripts/static-server.mjs';
import { findBrowsers } from '../../scripts/find-browser.mjs';
import { DRIVERS } from './drivers.mjs';
import { runSuite } from './suite.mjs';

// Ctrl-C or a CI timeout: exit normally, so 'exit' handlers stop the browsers' helpers.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const args = process.argv.slice(2);
const asked = args.filter((arg) => !arg.startsWith('--'));
const engines = asked.length ? asked : ['firefox', 'webkit'];
const unknown = engines.find((name) => !(name in DRIVERS));
if (unknown) {
  console.error(`Unknown engine "${unknown}": choose from ${Object.keys(DRIVERS).join(', ')}.`);
  process.exit(2);
}

// Find (or install, in one apt-get run) every engine before spending time on the build.
try {
  await findBrowsers(engines);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

if (!args.includes('--no-build')) {
  const built = spawnSync('npx', ['astro', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const pageScript = {
  path: '/__engine-page-hook.js',
  source: await readFile(new URL('./page-hook.js', import.meta.url), 'utf8'),
};
const servers = await Promise.all([
  serveStatic({ root: 'dist', isolated: true, pageScript }),
  serveStatic({ root: 'dist', pageScript }),
  serveStatic({ root: 'dist', defeatedWorker: true, pageScript }),
]);
const [headers, plain, defeated] = servers.map((server) => server.url);

const summary = [];
let passed = 0;
let failed = 0;
try {
  for (const name of engines) {
    const started = Date.now();
    let driver;
    try {
      driver = await DRIVERS[name]();
    } catch (error) {
      failed++;
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      console.log(`FAIL ${name}: the browser did not start: ${why}`);
      summary.push(`${name}: did not start`);
      continue;
    }
    console.log(`\n${name}: ${driver.version}`);
    try {
      const result = await runSuite(
        driver,
        { headers, plain, defeated },
        { log: (line) => console.log(`  ${line}`), artifacts: 'test-results/engines' },
      );
      passed += result.passed;
      failed += result.failed;
      const seconds = Math.round((Date.now() - started) / 1000);
      summary.push(
        `${name} (${driver.version}): ${result.passed} passed, ${result.failed} failed, ${seconds} s`,
      );
    } finally {
      await driver.close().catch(() => undefined);
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
}

console.log('\nEngine suites run:');
for (const line of summary) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
