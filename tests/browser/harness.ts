/**
 * Browser harness: the runtime in real Web Workers (bundled by Vite exactly as the site bundles it).
 * Playwright calls `window.gilHarness.smoke()` for the smoke test and `.bench()` for the bench.
 */
import {
  convoyRate,
  createRuntime,
  exclusionViolations,
  isSupported,
  toSegments,
  type Runtime,
  type RunConfigInput,
  type RunResult,
} from '../../src/runtime/index.ts';
import { plainLoop, withSize, type RunPlan } from '../../src/components/experiment/run-plan.ts';
import { runSuite, type SuiteOptions, type SuiteResult } from '../../bench/suite.ts';

/** What the smoke test checks, summarised so it crosses page.evaluate as JSON. */
export interface SmokeReport {
  crossOriginIsolated: boolean;
  gil: { violations: number; overlapMs: number; switches: number; lanes: number; wallMs: number };
  free: { overlapMs: number; wallMs: number };
  io: { ioOverlapLanes: number };
  liveWorkersAfterDispose: number;
  timelineJsonBytes: number;
}

const summary = (r: RunResult) => ({
  violations: exclusionViolations(r.timeline).length,
  overlapMs: r.overlapMs,
  switches: r.switches,
  lanes: r.timeline.lanes.length,
  wallMs: r.wallMs,
});

async function smoke(): Promise<SmokeReport> {
  if (!isSupported())
    throw new Error('SharedArrayBuffer unavailable: the page is not cross-origin isolated');
  const rt = createRuntime();
  try {
    const size = (await rt.calibrate('countdown', 150)).size;
    const run = rt.runExperiment({
      mode: 'gil',
      workers: 2,
      switchIntervalMs: 1,
      workload: { name: 'countdown', size },
    });
    let polled = 0;
    const timer = setInterval(
      () => (polled += run.timeline.poll().reduce((a, l) => a + l.events.length, 0)),
      10,
    );
    const gil = await run.result;
    clearInterval(timer);
    const free = await rt.runExperiment({
      mode: 'free-threaded',
      workers: 2,
      workload: { name: 'countdown', size },
    }).result;
    const io = await rt.runExperiment({
      mode: 'gil',
      workers: 3,
      workload: { name: 'io', size: 30 },
    }).result;
    const ioLanes = io.timeline.lanes.filter((l) => l.events.some((e) => e.state === 'io')).length;
    return {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      gil: { ...summary(gil), lanes: polled > 0 ? gil.timeline.lanes.length : 0 },
      free: { overlapMs: free.overlapMs, wallMs: free.wallMs },
      io: { ioOverlapLanes: ioLanes },
      liveWorkersAfterDispose: (await rt.dispose(), rt.liveWorkers),
      timelineJsonBytes: JSON.stringify(gil.timeline).length,
    };
  } finally {
    await rt.dispose();
  }
}

async function bench(o: SuiteOptions): Promise<SuiteResult> {
  const rt = createRuntime();
  try {
    return await runSuite(rt, 'chromium', navigator.hardwareConcurrency, {
      ...o,
      log: (l) => console.log(l),
    });
  } finally {
    await rt.dispose();
  }
}

let convoyRuntime: Runtime | null = null;

/**
 * One run of a convoy plan (bench/convoy-live.ts), sized on this device as the widget sizes it:
 * the I/O thread's round trips per second beside the computing thread, and its hand-back waits.
 */
async function convoyOnce(
  p: Pick<RunPlan, 'config' | 'extraTasks'>,
): Promise<{ perSecond: number | null; waits: number[] }> {
  const rt = (convoyRuntime ??= createRuntime());
  const { targetMs, size: _fixed, ...workload } = p.config.workload;
  const config =
    targetMs === undefined
      ? p.config
      : withSize(p.config, (await rt.calibrate(workload, targetMs)).size);
  const ex = rt.executor(config);
  const futures = [
    ...Array.from({ length: config.tasks ?? 1 }, () => ex.submit()),
    ...p.extraTasks.map((t) => ex.submit(t)),
  ];
  await Promise.all(futures.map((f) => f.result()));
  const r = await ex.shutdown();
  const waits: number[] = [];
  for (const lane of r.timeline.lanes) {
    const segs = toSegments(lane.events, r.timeline.endMs);
    segs.forEach((s, i) => {
      if (s.state === 'waiting' && segs[i - 1]?.state === 'io') waits.push(s.end - s.start);
    });
  }
  return { perSecond: convoyRate(r.timeline).perSecond, waits };
}

const pairSizes = new Map<string, number>();

/**
 * One pair of bench/processes-live.ts: `run` (sized on this device once, its workers warmed by a
 * first untimed run, as the widget readies them), then its plain loop; the speed-up.
 */
async function pairOnce(run: RunConfigInput): Promise<number> {
  const rt = (convoyRuntime ??= createRuntime());
  const { targetMs, size: _fixed, ...workload } = run.workload;
  const key = JSON.stringify(run.workload);
  let size = pairSizes.get(key);
  const go = async (c: RunConfigInput): Promise<RunResult> => {
    const ex = rt.executor(c);
    await Promise.all(Array.from({ length: c.tasks ?? 1 }, () => ex.submit().result()));
    return ex.shutdown();
  };
  if (size === undefined) {
    size =
      targetMs === undefined ? run.workload.size! : (await rt.calibrate(workload, targetMs)).size;
    pairSizes.set(key, size);
    await go(withSize(run, Math.max(1, Math.round(size / 5))));
  }
  const sized = withSize(run, size);
  const pool = await go(sized);
  const loop = await go(plainLoop(sized));
  return loop.wallMs / pool.wallMs;
}

// `createRuntime` is exposed for ad-hoc probing from Playwright (page.evaluate).
Object.assign(globalThis, { gilHarness: { smoke, bench, convoyOnce, pairOnce, createRuntime } });
document.getElementById('status')!.textContent = 'ready';
