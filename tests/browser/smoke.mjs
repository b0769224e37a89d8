// Browser smoke test: GIL and free-threaded runs in real Web Workers in headless Chromium.
// Run: node tests/browser/smoke.mjs   (exit code 0 = pass)
import { withHarnessPage } from './server.mjs';

const report = await withHarnessPage((page) => page.evaluate(() => globalThis.gilHarness.smoke()));
console.log(JSON.stringify(report, null, 2));
const checks = [
  ['page is cross-origin isolated', report.crossOriginIsolated === true],
  ['GIL: no two threads ever running at once', report.gil.violations === 0],
  ['GIL: the lock changed hands', report.gil.switches > 0],
  ['GIL: timeline readable live while running', report.gil.lanes === 2],
  ['free-threaded: running intervals overlap', report.free.overlapMs > 0],
  ['I/O: every thread did blocking I/O', report.io.ioOverlapLanes === 3],
  ['no live workers after dispose', report.liveWorkersAfterDispose === 0],
];
let failed = 0;
for (const [name, ok] of checks) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) failed++;
}
process.exitCode = failed ? 1 : 0;
