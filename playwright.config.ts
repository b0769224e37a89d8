import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';

/**
 * The four servers' ports: E2E_PORT_BASE (default 4321) and the three after it. Set it to run two
 * copies of the tests on one machine (several worktrees) without their servers colliding.
 */
const port = (offset: number): number => Number(process.env['E2E_PORT_BASE'] ?? 4321) + offset;

/** Addresses of the servers the end-to-end tests use. */
export const servers = {
  /** `astro preview`, as `npm start` runs it: COOP/COEP headers set. */
  preview: `http://127.0.0.1:${port(0)}`,
  /** A plain static server over dist/: no special headers (like GitHub Pages). */
  plain: `http://127.0.0.1:${port(1)}`,
  /** The same plain server over dist-base/, built with BASE_PATH=/gil-lab/. */
  plainBase: `http://127.0.0.1:${port(2)}/gil-lab`,
  /** The plain server over dist/ again, but its coi-sw.js adds no headers (a defeated worker). */
  plainDefeated: `http://127.0.0.1:${port(3)}`,
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
      command: `npx astro preview --port ${port(0)} --ignore-lock`,
      url: `${servers.preview}/`,
      reuseExistingServer: false,
      env: { ASTRO_TELEMETRY_DISABLED: '1' },
    },
    {
      command: `node scripts/static-server.mjs dist --port ${port(1)}`,
      url: `${servers.plain}/`,
      reuseExistingServer: false,
    },
    {
      command: `node scripts/static-server.mjs dist-base --port ${port(2)} --prefix /gil-lab/`,
      url: `${servers.plainBase}/`,
      reuseExistingServer: false,
    },
    {
      command: `node scripts/static-server.mjs dist --port ${port(3)} --sw-adds-no-headers`,
      url: `${servers.plainDefeated}/`,
      reuseExistingServer: false,
    },
  ],
});
