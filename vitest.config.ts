import { defineConfig } from 'vitest/config';

// Unit tests run in Node. Runtime tests spawn real worker_threads, so they get generous timeouts
// and run file-by-file (the machine has 2 cores; parallel files would distort lock timings).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
