/**
 * Internal-consistency checks for a CPython reference JSON, shared by the committed-file test and
 * the quick-run test. Each returns a list of problems (empty = consistent) so a failure names
 * every mismatch at once.
 */
import type { CpythonReference } from '../../../src/schemas/cpython-reference.ts';

/** Median the way Python's statistics.median computes it. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Stored figures are rounded (seconds to 5 decimals, ms to 4, ratios to 3), so comparisons
// allow for half a unit of the last stored digit plus float noise.
const SECONDS_TOL = 0.5e-5 + 1e-9;
const MS_TOL = 0.5e-4 + 1e-9;
const RATIO_TOL = 0.5e-3 + 1e-9;

export function checkConsistency(ref: CpythonReference): string[] {
  const problems: string[] = [];
  const close = (label: string, actual: number, expected: number, tol: number) => {
    if (!(Math.abs(actual - expected) <= tol)) {
      problems.push(`${label}: stored ${actual}, expected ${expected}`);
    }
  };
  const timingS = (label: string, t: { runsS: number[]; medianS: number }) =>
    close(`${label}.medianS`, t.medianS, median(t.runsS), SECONDS_TOL);
  const timingMs = (label: string, t: { runsMs: number[]; medianMs: number }) =>
    close(`${label}.medianMs`, t.medianMs, median(t.runsMs), MS_TOL);
  const quotient = (label: string, stored: number, num: number, den: number) =>
    close(label, stored, num / den, RATIO_TOL);

  const { countdown, ioThreads, convoy, race, native, startup, copy } = ref.experiments;

  // countdown: medians, and ratios against the sequential run of the same total work
  for (const key of [
    'once',
    'sequentialTwice',
    'sequentialFour',
    'threads2',
    'threads4',
  ] as const) {
    timingS(`countdown.${key}`, countdown[key]);
    if (countdown[key].runsS.length !== countdown.runsPerVariant) {
      problems.push(`countdown.${key}: ${countdown[key].runsS.length} runs, not runsPerVariant`);
    }
  }
  const twice = countdown.sequentialTwice.medianS;
  quotient(
    'countdown.threads2.ratio',
    countdown.threads2.ratioVsSequential,
    countdown.threads2.medianS,
    twice,
  );
  quotient(
    'countdown.threads4.ratio',
    countdown.threads4.ratioVsSequential,
    countdown.threads4.medianS,
    countdown.sequentialFour.medianS,
  );
  for (const method of ['fork', 'forkserver', 'spawn'] as const) {
    const p = countdown.processes2[method];
    timingS(`countdown.processes2.${method}`, p);
    quotient(`countdown.processes2.${method}.ratio`, p.ratioVsSequential, p.medianS, twice);
  }

  // ioThreads: sleeping can never be shorter than the sleeps themselves
  timingS('ioThreads.sequential', ioThreads.sequential);
  timingS('ioThreads.threaded', ioThreads.threaded);
  close(
    'ioThreads.idealSequentialS',
    ioThreads.idealSequentialS,
    ioThreads.threads * ioThreads.sleepsPerThread * ioThreads.sleepS,
    SECONDS_TOL,
  );
  close(
    'ioThreads.idealThreadedS',
    ioThreads.idealThreadedS,
    ioThreads.sleepsPerThread * ioThreads.sleepS,
    SECONDS_TOL,
  );
  if (Math.min(...ioThreads.sequential.runsS) < ioThreads.idealSequentialS) {
    problems.push('ioThreads.sequential: a run was shorter than its sleeps');
  }
  if (Math.min(...ioThreads.threaded.runsS) < ioThreads.idealThreadedS) {
    problems.push('ioThreads.threaded: a run was shorter than one thread’s sleeps');
  }
  quotient(
    'ioThreads.threaded.ratio',
    ioThreads.threaded.ratioVsSequential,
    ioThreads.threaded.medianS,
    ioThreads.sequential.medianS,
  );
  quotient(
    'ioThreads.threaded.speedup',
    ioThreads.threaded.speedup,
    ioThreads.sequential.medianS,
    ioThreads.threaded.medianS,
  );

  // convoy: complete grid, medians, ratio against the same interval without CPU threads
  const cells = new Map(
    convoy.measurements.map((m) => [`${m.switchIntervalMs}/${m.cpuThreads}`, m]),
  );
  for (const interval of [5, 1, 0.1]) {
    const alone = cells.get(`${interval}/0`);
    for (const cpu of [0, 1, 2]) {
      const m = cells.get(`${interval}/${cpu}`);
      const label = `convoy[${interval} ms, ${cpu} cpu]`;
      if (!m || !alone) {
        problems.push(`${label}: missing`);
        continue;
      }
      if (m.runsRoundTripsPerSecond.length !== convoy.runsPerConfig) {
        problems.push(`${label}: ${m.runsRoundTripsPerSecond.length} runs, not runsPerConfig`);
      }
      close(
        `${label}.roundTripsPerSecond`,
        m.roundTripsPerSecond,
        median(m.runsRoundTripsPerSecond),
        0.05 + 1e-9,
      );
      close(`${label}.medianLatencyMs`, m.medianLatencyMs, median(m.runsMedianLatencyMs), MS_TOL);
      close(`${label}.p90LatencyMs`, m.p90LatencyMs, median(m.runsP90LatencyMs), MS_TOL);
      quotient(
        `${label}.ratioVsAlone`,
        m.ratioVsAlone,
        m.roundTripsPerSecond,
        alone.roundTripsPerSecond,
      );
      if ((cpu === 0) !== (m.cpuLoopsPerSecond === 0)) {
        problems.push(
          `${label}: cpuLoopsPerSecond ${m.cpuLoopsPerSecond} does not match cpuThreads`,
        );
      }
    }
  }
  if (convoy.measurements.length !== 9)
    problems.push(`convoy: ${convoy.measurements.length} cells, not 9`);

  // race: totals and lost shares agree; a lock never loses an update
  if (race.expectedTotal !== race.threads * race.incrementsPerThread) {
    problems.push('race.expectedTotal is not threads × incrementsPerThread');
  }
  for (const [name, v] of Object.entries(race.variants)) {
    const label = `race.${name}`;
    timingS(label, v);
    if (v.actualTotals.some((t) => t > race.expectedTotal))
      problems.push(`${label}: total above expected`);
    v.actualTotals.forEach((total, i) => {
      close(
        `${label}.lostShares[${i}]`,
        v.lostShares[i] ?? NaN,
        (race.expectedTotal - total) / race.expectedTotal,
        0.5e-4 + 1e-9,
      );
    });
    close(`${label}.medianActualTotal`, v.medianActualTotal, median(v.actualTotals), 0.5 + 1e-9);
    close(`${label}.medianLostShare`, v.medianLostShare, median(v.lostShares), 0.5e-4 + 1e-9);
    close(`${label}.maxLostShare`, v.maxLostShare, Math.max(...v.lostShares), 0);
  }
  if (race.variants.locked.actualTotals.some((t) => t !== race.expectedTotal)) {
    problems.push('race.locked: a Lock lost updates');
  }

  // native: medians, speedup, MB per task
  for (const key of ['sha256', 'zlib'] as const) {
    const c = native[key];
    timingS(`native.${key}.sequential`, c.sequential);
    timingS(`native.${key}.threaded`, c.threaded);
    quotient(`native.${key}.speedup`, c.speedup, c.sequential.medianS, c.threaded.medianS);
    close(`native.${key}.mbPerTask`, c.mbPerTask, c.bufferMB * c.passesPerTask, 1e-9);
  }

  // startup and copy
  timingMs('startup.thread', startup.thread);
  for (const method of ['fork', 'forkserver', 'spawn'] as const) {
    timingMs(`startup.process.${method}`, startup.process[method]);
  }
  for (const key of ['bytes', 'listOfInts'] as const) {
    const c = copy[key];
    timingMs(`copy.${key}`, c);
    close(`copy.${key}.msPerMB`, c.msPerMB, c.medianMs / c.payloadMB, MS_TOL + c.msPerMB * 1e-4);
  }
  close(
    'copy.listOfInts.nsPerItem',
    copy.listOfInts.nsPerItem,
    (copy.listOfInts.medianMs * 1e6) / copy.listOfInts.items,
    0.05 + 1e-9,
  );
  quotient(
    'copy.listOfInts.ratioVsBytes',
    copy.listOfInts.ratioVsBytes,
    copy.listOfInts.msPerMB,
    copy.bytes.msPerMB,
  );

  return problems;
}
