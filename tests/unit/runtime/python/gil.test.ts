/**
 * The tests for real Python under the shared GIL, in Node worker_threads (offline):
 * mutual exclusion, free-threaded overlap, sleep releasing the GIL, a shared threading.Lock and
 * Stop. Interpreters are booted once for the file and reused (warm) by every test.
 */
import { describe, expect, it } from 'vitest';
import {
  concurrentMs,
  exclusionViolations,
  inEventOrder,
} from '../../../../src/runtime/core/stats.ts';
import type { PythonRunResult, ThreadMode } from '../../../../src/runtime/python/index.ts';
import { pythonSuite } from './suite.ts';

const { runner, run: runCollecting } = pythonSuite();

/** Two threads counting down, like the lessons' countdown experiment. */
const COUNTDOWN = `
import threading

def countdown(n):
    while n > 0:
        n -= 1

threads = [threading.Thread(target=countdown, args=(1_500_000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
`;

const run = (source: string, mode: ThreadMode = 'gil') => runCollecting(source, { mode });

/** Running spans of each thread lane, to check both really ran. */
function runningLanes(r: PythonRunResult): number {
  return r.timeline.lanes.filter((l) => l.label !== 'MainThread' && l.totalsMs.running > 0).length;
}

describe('Python threads under one GIL', () => {
  it('never run at once under the GIL, and take turns', async () => {
    const { result, text } = await run(COUNTDOWN);
    expect(result.error).toBeNull();
    expect(text).toContain('done');
    expect(result.interpreters).toBe(3);
    expect(runningLanes(result)).toBe(2);
    // Exact, clock-free: no two "running" spans on one GIL overlap in the global event order.
    expect(exclusionViolations(result.timeline)).toEqual([]);
    // And on the shared clock, with event times made consistent with that order.
    expect(concurrentMs(inEventOrder(result.timeline), ['running'], 2)).toBe(0);
    // Forced switching really happened: both threads were interrupted while running.
    const waits = result.timeline.lanes.map(
      (l) => l.events.filter((e) => e.state === 'waiting').length,
    );
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    expect(result.switches).toBeGreaterThan(3);
  });

  it('overlap when free-threaded', async () => {
    const { result } = await run(COUNTDOWN, 'free-threaded');
    expect(result.error).toBeNull();
    expect(runningLanes(result)).toBe(2);
    expect(result.timeline.lanes.every((l) => l.lock === null)).toBe(true);
    expect(result.overlapMs).toBeGreaterThan(0);
    expect(result.lockHeldShare).toBeNull();
  });

  it('overlap their time.sleep() under the GIL (sleep releases it)', async () => {
    const { result } = await run(`
import threading, time

def nap():
    for _ in range(3):
        time.sleep(0.1)

threads = [threading.Thread(target=nap) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
`);
    expect(result.error).toBeNull();
    expect(exclusionViolations(result.timeline)).toEqual([]);
    expect(concurrentMs(result.timeline, ['io'], 2)).toBeGreaterThan(0);
  });

  it('share a module-level threading.Lock: its critical sections never overlap', async () => {
    const { result, text } = await run(
      `
import threading, time
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()

def critical(i):
    spans = []
    for _ in range(6):
        with lock:
            start = time.time()
            end = start + 0.03
            while time.time() < end:
                pass
            spans.append((start, time.time()))
    return spans

if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=2) as pool:
        spans = sorted(s for result in pool.map(critical, range(2)) for s in result)
    overlaps = sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1] - 0.001)
    print("sections", len(spans), "overlaps", overlaps)
`,
      'free-threaded',
    );
    expect(result.error).toBeNull();
    expect(text).toContain('sections 12 overlaps 0');
    // Contended acquires slept on the shared lock ("blocked" on the timeline).
    const blocked = result.timeline.lanes.reduce((a, l) => a + l.totalsMs.blocked, 0);
    expect(blocked).toBeGreaterThan(0);
  });
});

describe('Stop', () => {
  it('ends an endless loop in the main interpreter with KeyboardInterrupt at its line', async () => {
    const out: string[] = [];
    // The loop prints its first line itself, so every point the interrupt can land on once the
    // line is out is on line 2. With print() on a line before the loop, a worker descheduled
    // between sending the line and returning from print() (a busy machine) takes the interrupt
    // at print's own check, line 1, as CPython would: the test asserted when the signal came.
    const handle = runner.run(
      'printed = False\nwhile True: printed = printed or print("looping", flush=True) or True\n',
      { onOutput: (o) => out.push(o.text) },
    );
    await until(() => out.join('').includes('looping'));
    await handle.stop();
    const result = await handle.result;
    expect(result.stopped).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('KeyboardInterrupt');
    expect(result.error?.traceback).toMatch(/File "main\.py", line 2, in <module>/);
    // Interrupted, not terminated: the interpreter stays warm for the next run.
    expect(runner.liveWorkers).toBeGreaterThanOrEqual(3);
    const again = await run('print(1 + 1)');
    expect(again.text).toContain('2');
  });

  it('ends `while True: pass` in a thread, and the main program waiting in join()', async () => {
    const out: string[] = [];
    const handle = runner.run(
      `
import threading

def spin():
    print("spinning", flush=True)
    while True:
        pass

t = threading.Thread(target=spin)
t.start()
t.join()
`,
      { onOutput: (o) => out.push(o.text) },
    );
    await until(() => out.join('').includes('spinning'));
    await handle.stop();
    const result = await handle.result;
    expect(result.stopped).toBe(true);
    expect(result.error?.type).toBe('KeyboardInterrupt');
    expect(result.timeline.lanes.every((l) => l.events.at(-1)?.state === 'done')).toBe(true);
  });

  it('raises one KeyboardInterrupt in a pool’s `with` block, not a second one in its exit', async () => {
    const out: string[] = [];
    const handle = runner.run(
      `
from concurrent.futures import ThreadPoolExecutor

def spin(n):
    while True:
        pass

with ThreadPoolExecutor(max_workers=2) as ex:
    print("spinning", flush=True)
    list(ex.map(spin, range(2)))
`,
      { onOutput: (o) => out.push(o.text) },
    );
    await until(() => out.join('').includes('spinning'));
    await handle.stop();
    const result = await handle.result;
    expect(result.error?.type).toBe('KeyboardInterrupt');
    const traceback = result.error?.traceback ?? '';
    expect(traceback.match(/KeyboardInterrupt/g)).toHaveLength(1);
    expect(traceback).not.toContain('During handling');
  });
});

describe('Stop on a long C call', () => {
  it('terminates an interpreter that cannot be interrupted, and the next run boots a fresh one', async () => {
    const out: string[] = [];
    // One C call with no eval-breaker check inside: like CPython, a signal waits for it to return.
    const handle = runner.run('print("summing", flush=True)\nprint(sum(range(10**12)))\n', {
      onOutput: (o) => out.push(o.text),
    });
    await until(() => out.join('').includes('summing'));
    const live = runner.liveWorkers;
    await handle.stop();
    const result = await handle.result;
    expect(result.stopped).toBe(true);
    expect(result.error?.type).toBe('KeyboardInterrupt');
    expect(runner.liveWorkers).toBe(live - 1);
    const again = await run('print("fresh")');
    expect(again.text).toContain('fresh');
  });
});

async function until(ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the runtime files cache', () => {
  it('is named after the installed Pyodide version, so an upgrade never reads stale files', async () => {
    const { PYODIDE_CACHE_NAME } = await import('../../../../src/runtime/python/assets.ts');
    const { readFileSync } = await import('node:fs');
    const { version } = JSON.parse(readFileSync('node_modules/pyodide/package.json', 'utf8'));
    expect(PYODIDE_CACHE_NAME).toBe(`gil-lab-pyodide-${version}`);
  });
});
