import reference from '../../data/cpython-reference.json';

/**
 * What real CPython did in the same experiment on the project's reference machine
 * (src/data/cpython-reference.json, made by `npm run measure:cpython`), as one sentence per preset.
 */
const r = reference.experiments;
const where = `CPython ${reference.python.version} on a ${reference.machine.cores}-core Linux machine`;
const s = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const x = (v: number) => `${v.toFixed(2)}×`;

function convoyAt(intervalMs: number, cpuThreads: number) {
  return r.convoy.measurements.find(
    (m) => m.switchIntervalMs === intervalMs && m.cpuThreads === cpuThreads,
  );
}

/** The tiny-tasks shape's own figure, when the reference has it (measured since it exists). */
function tinyTasks(): string {
  const t = (r as { tinyTasks?: { tasks: number; workers: number; pool: { speedup: number } } })
    .tinyTasks;
  return t
    ? `${t.tasks.toLocaleString()} tasks of about 0.1 ms on ${t.workers} processes ran at ${x(t.pool.speedup)} the speed of a plain loop; `
    : '';
}

const sentences: Record<string, () => string> = {
  'countdown-gil': () =>
    `${where}: two countdowns one after another took ${s(r.countdown.sequentialTwice.medianS)}; in two threads ${s(r.countdown.threads2.medianS)} (${x(r.countdown.threads2.ratioVsSequential)} the sequential time).`,
  'futures-executors': () =>
    `${where}: two countdowns in a loop took ${s(r.countdown.sequentialTwice.medianS)}; on a 2-worker thread pool ${s(r.countdown.threads2.medianS)}; on a 2-process pool (fork) ${s(r.countdown.processes2.fork.medianS)}.`,
  'cpu-processes': () =>
    `${where}: two countdowns in two processes took ${s(r.countdown.processes2.fork.medianS)} with fork, ${s(r.countdown.processes2.spawn.medianS)} with spawn, against ${s(r.countdown.sequentialTwice.medianS)} one after another.`,
  'tiny-tasks': () =>
    `${where}: ${tinyTasks()}starting a process took ${r.startup.process.fork.medianMs.toFixed(1)} ms with fork, ${r.startup.process.forkserver.medianMs.toFixed(1)} ms with forkserver and ${r.startup.process.spawn.medianMs.toFixed(1)} ms with spawn; a thread ${r.startup.thread.medianMs.toFixed(2)} ms. Copying to a process cost ${r.copy.bytes.msPerMB.toFixed(1)} ms per MB of bytes.`,
  'io-threads': () =>
    `${where}: ${r.ioThreads.threads} threads each sleeping ${r.ioThreads.sleepsPerThread} × ${s(r.ioThreads.sleepS)} took ${s(r.ioThreads.threaded.medianS)}, against ${s(r.ioThreads.sequential.medianS)} one after another (${x(r.ioThreads.threaded.speedup)} faster).`,
  'race-counter': () =>
    `${where}: two threads × ${r.race.incrementsPerThread.toLocaleString()} increments lost ${(r.race.variants.plain.medianLostShare * 100).toFixed(0)} % with a plain counter += 1, ${(r.race.variants.callBetween.medianLostShare * 100).toFixed(0)} % with a call between read and write, and ${(r.race.variants.locked.medianLostShare * 100).toFixed(0)} % with a lock.`,
  convoy: () => {
    const alone = convoyAt(5, 0);
    const at = [5, 1, 0.1].map((ms) => [ms, convoyAt(ms, 1)] as const);
    const parts = at
      .filter(([, m]) => m)
      .map(([ms, m]) => `${Math.round(m!.roundTripsPerSecond).toLocaleString()}/s at ${ms} ms`);
    return `${where}: an I/O thread talking to a server that answers in ${r.convoy.serverDelayMs} ms made ${Math.round(alone?.roundTripsPerSecond ?? 0).toLocaleString()} round trips/s alone; beside one CPU thread ${parts.join(', ')}.`;
  },
  'native-release': () =>
    `${where}: ${r.native.threads} threads hashing with sha256 ran ${x(r.native.sha256.speedup)} faster than one after another; zlib ${x(r.native.zlib.speedup)}.`,
  'free-threaded': () =>
    `${where} (with the GIL): two countdowns in two threads took ${s(r.countdown.threads2.medianS)}, in two processes with fork ${s(r.countdown.processes2.fork.medianS)}, about the time of one countdown: what a GIL-free run approaches (free-threaded 3.14t was not measured here).`,
};

/** The sentence for a preset, or null where there is no matching measurement. */
export function referenceFor(preset: string): string | null {
  return sentences[preset]?.() ?? null;
}
