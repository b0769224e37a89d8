import { globSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests run in Node, in two groups, one after the other:
//
// 1. `parallel`, two files at a time: files whose results do not depend on how the machine's
//    time is shared: pure logic; python3 runs checked by their output (they mostly wait on
//    python3); Run Python programs checked by their output or an exercise's verdict (a measured
//    check may say "busy", never "wrong"). One such file uses about one core, so two at once use
//    the machine's two.
// 2. `serial`, one file at a time, nothing else running: everything else under
//    tests/unit/runtime/ (real worker_threads under a real Atomics lock, Pyodide interpreters:
//    switch points, overlaps, a run that must end "at once", a thread's os._exit before main's
//    next line) and the CPython measurement. Another file beside them would distort their timing.
//
// A new file under tests/unit/runtime/ is serial; list it in PARALLEL_UNDER_RUNTIME only if what
// it asserts holds on a machine busy with another file.
const PARALLEL_UNDER_RUNTIME = [
  'tests/unit/runtime/python/examples-in-run-python.test.ts',
  // Boots from the snapshot and the long way, checks states and output: nothing timed.
  'tests/unit/runtime/python/snapshot.test.ts',
  // One interpreter, two stacks in a fixed order, checked by their results: nothing timed.
  'tests/unit/runtime/python/suspended-frames.test.ts',
];
const SERIAL = globSync('tests/unit/**/*.test.ts', { cwd: import.meta.dirname })
  .map((file) => file.split('\\').join('/'))
  .filter(
    (file) =>
      (file.startsWith('tests/unit/runtime/') && !PARALLEL_UNDER_RUNTIME.includes(file)) ||
      file === 'tests/unit/data/measure-quick.test.ts',
  )
  .sort();

export default defineConfig({
  test: {
    // Runtime tests spawn real worker_threads and interpreters: generous timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Once per test run, before any file: the snapshot Run Python's Node interpreters start from.
    globalSetup: ['tests/unit/setup/python-snapshot.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['tests/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SERIAL],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
