/**
 * The bench-only recording switch (RunOptions.recordTimeline): off records nothing and leaves the
 * lock's own counts alone; on (or absent, as everywhere in the product) records as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunConfigInput, RunResult } from '../../../../src/runtime/index.ts';
import { nodeRuntime } from '../helpers.ts';

const { runtime, tracker } = nodeRuntime();
afterAll(async () => {
  await runtime.dispose();
  await tracker.allExited();
});

/** Three blocking calls per task on two threads: a fixed sequence of states per lane. */
const IO: RunConfigInput = {
  mode: 'gil',
  workers: 2,
  workload: { name: 'io', size: 1, calls: 3 },
};

const states = (r: RunResult): string[][] =>
  r.timeline.lanes.map((l) => l.events.map((e) => e.state));

describe('the bench-only recording switch', () => {
  it('off: no lane records an event, drops one, or counts time in any state', async () => {
    const r = await runtime.runExperiment(IO, { recordTimeline: false }).result;
    for (const lane of r.timeline.lanes) {
      expect(lane.events).toEqual([]);
      expect(lane.dropped).toBe(0);
      expect(Object.values(lane.totalsMs).every((ms) => ms === 0)).toBe(true);
    }
    expect(r.values).toHaveLength(2);
  });

  it('off: the GIL still switches and the work still runs (only recording stops)', async () => {
    const size = (await runtime.calibrate('countdown', 20)).size;
    const config: RunConfigInput = {
      mode: 'gil',
      workers: 2,
      switchIntervalMs: 0.5,
      workload: { name: 'countdown', size },
    };
    const off = await runtime.runExperiment(config, { recordTimeline: false }).result;
    const on = await runtime.runExperiment(config).result;
    expect(off.switches).toBeGreaterThan(0);
    expect(off.values).toEqual(on.values);
  });

  it('on: records exactly what a run without the option records', async () => {
    const plain = await runtime.runExperiment(IO).result;
    const on = await runtime.runExperiment(IO, { recordTimeline: true }).result;
    const expected = ['idle', 'running', 'io', 'running', 'io', 'running', 'io', 'running'];
    for (const lane of states(plain))
      expect(lane.filter((s) => s !== 'waiting')).toEqual([...expected, 'idle', 'done']);
    expect(states(on).map((l) => l.filter((s) => s !== 'waiting'))).toEqual(
      states(plain).map((l) => l.filter((s) => s !== 'waiting')),
    );
  });
});
