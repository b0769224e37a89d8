import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';

/** Ports of the three servers the end-to-end tests use. */
export const servers = {
  /** `astro preview`, as `npm start` runs it: COOP/COEP headers set. */
  preview: 'http://127.0.0.1:4321',
  /** A plain static server over dist/: no special headers (like GitHub Pages). */
  plain: 'http://127.0.0.1:4322',
  /** The same plain server over dist-base/, built with BASE_PATH=/gil-lab/. */
  plainBase: 'http://127.0.0.1:4323/gil-lab',
  /** The plain server over dist/ again, but its coi-sw.js adds no headers (a defeated worker). */
  plainDefeated: 'http://127.0.0.1:4324',
};

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: servers.preview,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'npx astro preview --port 4321 --ignore-lock',
      url: `${servers.preview}/`,
      reuseExistingServer: false,
      env: { ASTRO_TELEMETRY_DISABLED: '1' },
    },
    {
      command: 'node scripts/static-server.mjs dist --port 4322',
      url: `${servers.plain}/`,
      reuseExistingServer: false,
    },
    {
      command: 'node scripts/static-server.mjs dist-base --port 4323 --prefix /gil-lab/',
      url: `${servers.plainBase}/`,
      reuseExistingServer: false,
    },
    {
      command: 'node scripts/static-server.mjs dist --port 4324 --sw-adds-no-headers',
      url: `${servers.plainDefeated}/`,
      reuseExistingServer: false,
    },
  ],
});
