/**
 * time.perf_counter() / monotonic() are one clock across a run's interpreters (shim/14_clock.py):
 * Pyodide's count from each worker's own start, so stamps taken in different threads could not
 * be compared, and programs compare them (when did each thread's wait start and end?).
 */
import { describe, expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

// One warm interpreter (main's): the pool threads' interpreters boot during the run, one after
// the other, so each worker's own performance.now() counts from a different start, seconds apart.
const { run } = pythonSuite({ prewarm: 1 });

const PROGRAM = `
import json, threading, time
from concurrent.futures import ThreadPoolExecutor

gate = threading.Lock()

def stamps(clock):
    t0 = getattr(time, clock)()
    time.sleep(0.2)
    return t0, getattr(time, clock)()

def through_gate():
    with gate:
        pass

with ThreadPoolExecutor(max_workers=2) as pool:
    # The first pool thread boots and waits at the gate, so a second one boots after it. Both
    # exist before the measured rounds, whose two tasks then start together.
    with gate:
        waiting = pool.submit(through_gate)
        while not waiting.running():
            time.sleep(0.01)
        pool.submit(time.sleep, 0).result()
    waiting.result()
    for clock in ("perf_counter", "monotonic", "perf_counter_ns", "monotonic_ns"):
        before = getattr(time, clock)()
        futures = [pool.submit(stamps, clock) for _ in range(2)]
        spans = [f.result() for f in futures]
        print(json.dumps({"clock": clock, "before": before, "spans": spans}))
`;

describe('time.perf_counter() and time.monotonic() across threads', () => {
  it('are one clock: spans of parallel sleeps overlap, and main’s earlier stamp is earlier', async () => {
    const { result, stdout, stderr } = await run(PROGRAM);
    expect(result.error, stderr).toBeNull();
    const rows = stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { clock: string; before: number; spans: [number, number][] },
      );
    expect(rows.map((r) => r.clock)).toEqual([
      'perf_counter',
      'monotonic',
      'perf_counter_ns',
      'monotonic_ns',
    ]);
    for (const { clock, before, spans } of rows) {
      const starts = spans.map(([start]) => start);
      const ends = spans.map(([, end]) => end);
      for (const [start, end] of spans) expect(end, clock).toBeGreaterThan(start);
      expect(Math.max(...starts), `${clock}: the two sleeps overlap`).toBeLessThan(
        Math.min(...ends),
      );
      expect(before, `${clock}: main's stamp comes first`).toBeLessThan(Math.min(...starts));
    }
  }, 60_000);
});
