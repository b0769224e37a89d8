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

/** The e2e specs that run two at a time (the `parallel` project); all others run one at a time. */
const PARALLEL_SPECS = [
  'accessibility',
  'experiment-hostile',
  'lessons',
  'page-weight',
  'progress',
  'security',
  'service-worker',
  'site',
  'static-hosting',
];

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two Chromium workers, for the `parallel` project only (see projects).
  workers: 2,
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
  // Two groups; `npm run test:e2e` (scripts/e2e.mjs) runs one after the other, so nothing of the
  // first runs beside the second.
  // - `parallel`: specs whose assertions hold on a busy machine (pages, axe, quizzes, progress,
  //   hosting, security, a hostile widget). Two workers: one of these tests keeps about one core
  //   busy (CPU seconds ≈ wall seconds, measured), so two at once use the machine's two.
  // - `serial`: specs whose runs are about threads sharing the CPU (experiments' overlaps and
  //   verdicts under a CPU hog, Run Python's interpreters and races, exercises judged by speed-up,
  //   worker leaks): one test at a time, nothing beside it, as before.
  projects: [
    {
      name: 'parallel',
      testMatch: PARALLEL_SPECS.map((name) => `${name}.spec.ts`),
      fullyParallel: true,
      // Each project keeps its own failures' traces (a run cleans only its projects' folders).
      outputDir: 'test-results/e2e-parallel',
      use: { browserName: 'chromium' },
    },
    {
      name: 'serial',
      testIgnore: PARALLEL_SPECS.map((name) => `${name}.spec.ts`),
      workers: 1,
      fullyParallel: false,
      outputDir: 'test-results/e2e-serial',
      use: { browserName: 'chromium' },
    },
  ],
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
