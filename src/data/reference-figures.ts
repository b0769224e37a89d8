/**
 * The figures the lessons quote from the project's CPython reference measurement
 * (`cpython-reference.json`, made by `npm run measure:cpython`), formatted as the lessons print
 * them. Lessons import `ref` and write `{ref.convoy.alone.rate}` instead of typing a number, so a
 * re-measurement changes every quoted figure at the next build and none can drift from the JSON.
 * tests/unit/data/reference-figures.test.ts keeps it that way: a sentence that cites the reference
 * may type no digit of its own, and the words around the figures (one interval, far from 2×, …)
 * are checked against the JSON there.
 */
import reference from './cpython-reference.json' with { type: 'json' };

const r = reference.experiments;

/** Bare numbers, one style for every quoted figure (the widgets' reference sentences agree). */
const digits = {
  /** Milliseconds with about three significant digits: 0.34, 5.53, 26.2, 121. */
  ms: (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)),
  /** A start-up or copy cost, coarser: 0.10, 3.8, 26, 121. */
  costMs: (ms: number): string =>
    ms < 1 ? ms.toFixed(2) : ms < 10 ? ms.toFixed(1) : ms.toFixed(0),
  /** A ratio or speed-up: 0.92. */
  times: (v: number, places = 2): string => v.toFixed(places),
  /** A share as a whole percentage: 28. */
  percent: (share: number): string => String(Math.round(share * 100)),
};

/** Figures with their units, as the lessons print them. */
export const format = {
  /** A count or rate: 2,905. */
  count: (v: number): string => Math.round(v).toLocaleString('en-US'),
  /** Seconds to two decimals: 0.46 s. */
  seconds: (s: number): string => `${s.toFixed(2)} s`,
  ms: (ms: number): string => `${digits.ms(ms)} ms`,
  costMs: (ms: number): string => `${digits.costMs(ms)} ms`,
  times: (v: number, places = 2): string => `${digits.times(v, places)}×`,
  percent: (share: number): string => `${digits.percent(share)} %`,
  /** Millions, one decimal: 13.4 million. */
  millions: (v: number): string => `${(v / 1e6).toFixed(1)} million`,
  /** A setting such as a countdown size: 6 million, or 1,500,000 when not whole millions. */
  size: (n: number): string =>
    n % 1_000_000 === 0 ? `${n / 1_000_000} million` : n.toLocaleString('en-US'),
};

/** The lowest to the highest of some runs, one unit after both: 24–32 %, 0.78–1.00×. */
function span(values: readonly number[], bare: (v: number) => string, unit: string): string {
  return `${bare(Math.min(...values))}–${bare(Math.max(...values))}${unit}`;
}

function convoyAt(intervalMs: number, cpuThreads: number) {
  const m = r.convoy.measurements.find(
    (x) => x.switchIntervalMs === intervalMs && x.cpuThreads === cpuThreads,
  );
  if (!m)
    throw new Error(`cpython-reference.json has no convoy at ${intervalMs} ms × ${cpuThreads}`);
  return m;
}

/** One row of the convoy grid, formatted. */
function convoyRow(intervalMs: number, cpuThreads: number) {
  const m = convoyAt(intervalMs, cpuThreads);
  return {
    cpuThreads: String(cpuThreads),
    interval: `${intervalMs} ms`,
    rate: format.count(m.roundTripsPerSecond),
    median: format.ms(m.medianLatencyMs),
    p90: format.ms(m.p90LatencyMs),
    /** The 90th percentile across the runs, lowest to highest: 21–31 ms. */
    p90Range: span(m.runsP90LatencyMs, digits.ms, ' ms'),
    /** Whole switch intervals in the median and the 90th percentile wait. */
    medianIntervals: String(Math.round(m.medianLatencyMs / intervalMs)),
    p90Intervals: String(Math.round(m.p90LatencyMs / intervalMs)),
    cpuLoops: format.millions(m.cpuLoopsPerSecond),
  };
}

const { countdown } = r;
const pairRatios = countdown.threads2.runsS.map((t, i) => t / countdown.sequentialTwice.runsS[i]!);
const lost = r.race.variants.callBetween;
const c5 = convoyAt(5, 1);
const c01 = convoyAt(0.1, 1);

export const ref = {
  /** Who measured: CPython 3.11.7 on a 2-core Linux machine. */
  python: reference.python.version,
  cores: String(reference.machine.cores),

  countdown: {
    /** The countdown's start value, calibrated to about 0.3 s a countdown there: 6 million. */
    n: format.size(countdown.n),
    runs: String(countdown.runsPerVariant),
    once: format.seconds(countdown.once.medianS),
    twice: format.seconds(countdown.sequentialTwice.medianS),
    threads2: format.seconds(countdown.threads2.medianS),
    threads2Ratio: format.times(countdown.threads2.ratioVsSequential),
    /** threads ÷ sequential in each interleaved round, lowest to highest: 0.78–1.00×. */
    threads2RatioRange: span(pairRatios, (v) => digits.times(v), '×'),
    fork: format.seconds(countdown.processes2.fork.medianS),
    /** Two fork processes against the two countdowns in sequence: 1.85× faster. */
    forkSpeedup: format.times(1 / countdown.processes2.fork.ratioVsSequential),
    forkserver: format.seconds(countdown.processes2.forkserver.medianS),
    spawn: format.seconds(countdown.processes2.spawn.medianS),
  },

  convoy: {
    serverDelay: `${r.convoy.serverDelayMs} ms`,
    runs: String(r.convoy.runsPerConfig),
    /** The I/O thread alone, and beside 1 or 2 CPU threads, at the default 5 ms interval. */
    alone: convoyRow(5, 0),
    one: convoyRow(5, 1),
    two: convoyRow(5, 2),
    /** Beside one CPU thread at the shorter intervals. */
    one1ms: convoyRow(1, 1),
    one01ms: convoyRow(0.1, 1),
    /** How much less the CPU thread counted at 0.1 ms than at 5 ms: 21 %. */
    cpuCost01ms: format.percent(1 - c01.cpuLoopsPerSecond / c5.cpuLoopsPerSecond),
    /** How many times the I/O rate at 0.1 ms is that at 5 ms: 11×. */
    rateGain01ms: format.times(c01.roundTripsPerSecond / c5.roundTripsPerSecond, 0),
    /** Median wait with 2 CPU threads ÷ with 1: 1.9×. */
    medianGrowth: format.times(convoyAt(5, 2).medianLatencyMs / c5.medianLatencyMs, 1),
  },

  race: {
    runs: String(r.race.runsPerVariant),
    increments: format.count(r.race.incrementsPerThread),
    lostMedian: format.percent(lost.medianLostShare),
    lostRange: span(lost.lostShares, digits.percent, ' %'),
  },

  native: {
    runs: String(r.native.runsPerVariant),
    threads: String(r.native.threads),
    sha256BufferMB: String(r.native.sha256.bufferMB),
    sha256Passes: String(r.native.sha256.passesPerTask),
    zlibBufferMB: String(r.native.zlib.bufferMB),
    sha256Speedup: format.times(r.native.sha256.speedup, 1),
    zlibSpeedup: format.times(r.native.zlib.speedup, 1),
    /** The most the cores allow: 2×. */
    ideal: format.times(reference.machine.cores, 0),
  },

  startup: {
    thread: format.costMs(r.startup.thread.medianMs),
    fork: format.costMs(r.startup.process.fork.medianMs),
    forkserver: format.costMs(r.startup.process.forkserver.medianMs),
    spawn: format.costMs(r.startup.process.spawn.medianMs),
  },

  copy: {
    bytesPerMB: format.costMs(r.copy.bytes.msPerMB),
    listVsBytes: format.times(r.copy.listOfInts.ratioVsBytes, 1),
  },
} as const;
