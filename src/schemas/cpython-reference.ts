/**
 * Schema of `src/data/cpython-reference.json`: GIL experiments measured in a real CPython by
 * `npm run measure:cpython` (python/measure.py). Lessons, widgets and the bench import it to show
 * and calibrate against real figures. Every numeric key names its unit (S, Ms, MB, PerSecond…);
 * `runs…` arrays hold the raw samples and the matching `median…` their median.
 */
import { z } from './zod.ts';

/** A variant timed several times, in seconds. */
const timingS = z
  .strictObject({
    runsS: z.array(z.number().nonnegative()).min(1).describe('Wall-clock seconds of each run.'),
    medianS: z.number().nonnegative().describe('Median of runsS, in seconds.'),
  })
  .describe('A variant timed several times, in seconds.');

/** A timed variant compared with running the same total work sequentially. */
const comparedS = timingS
  .extend({
    ratioVsSequential: z
      .number()
      .positive()
      .describe('medianS / median of the sequential baseline doing the same work; < 1 is faster.'),
  })
  .describe('A timed variant compared with the same work done sequentially.');

/** A variant timed several times, in milliseconds. */
const timingMs = z
  .strictObject({
    runsMs: z.array(z.number().nonnegative()).min(1).describe('Milliseconds of each run.'),
    medianMs: z.number().nonnegative().describe('Median of runsMs, in milliseconds.'),
  })
  .describe('A variant timed several times, in milliseconds.');

/** One value per process start method, as named by multiprocessing. */
const perStartMethod = <T extends z.ZodType>(value: T) =>
  z
    .strictObject({
      fork: value.describe('Start method fork: the child is a copy of the parent process.'),
      forkserver: value.describe('Start method forkserver: forked from a small server process.'),
      spawn: value.describe('Start method spawn: a fresh interpreter that imports the module.'),
    })
    .describe('One figure per multiprocessing start method.');

const count = z.number().int().nonnegative();
const positiveCount = z.number().int().positive();

export const countdownSchema = z
  .strictObject({
    n: positiveCount.describe('Start value of `while n > 0: n -= 1`, calibrated to ≈ 0.3 s a run.'),
    runsPerVariant: positiveCount.describe('Runs of each variant (rounds, interleaved).'),
    once: timingS.describe('One countdown(n) in the main thread.'),
    sequentialTwice: timingS.describe('countdown(n) twice in a row: baseline for 2 workers.'),
    sequentialFour: timingS.describe('countdown(n) four times in a row: baseline for 4 workers.'),
    threads2: comparedS.describe('Two countdown(n) in a 2-thread ThreadPoolExecutor.'),
    threads4: comparedS.describe('Four countdown(n) in a 4-thread ThreadPoolExecutor.'),
    processes2: perStartMethod(comparedS).describe(
      'Two countdown(n) in a 2-process ProcessPoolExecutor, pool start-up and shutdown included.',
    ),
  })
  .describe('Pure-Python CPU work: sequential vs threads vs processes.');

export const ioThreadsSchema = z
  .strictObject({
    threads: positiveCount.describe('Number of threads (and of sequential repetitions).'),
    sleepsPerThread: positiveCount.describe('time.sleep calls made by each thread.'),
    sleepS: z.number().positive().describe('Duration of each sleep, in seconds.'),
    idealSequentialS: z
      .number()
      .positive()
      .describe('threads × sleepsPerThread × sleepS: the sleeps alone, one after another.'),
    idealThreadedS: z
      .number()
      .positive()
      .describe('sleepsPerThread × sleepS: the sleeps alone, all threads overlapping.'),
    runsPerVariant: positiveCount.describe('Runs of each variant (rounds).'),
    sequential: timingS.describe('All sleeps in the main thread, one after another.'),
    threaded: comparedS
      .extend({
        speedup: z.number().positive().describe('sequential.medianS / threaded.medianS.'),
      })
      .describe('The same sleeps spread over `threads` threads.'),
  })
  .describe('Blocking waits (time.sleep) release the GIL, so threads overlap them.');

export const convoyMeasurementSchema = z
  .strictObject({
    switchIntervalMs: z
      .number()
      .positive()
      .describe('sys.setswitchinterval used, in milliseconds.'),
    cpuThreads: count.describe('CPU-bound threads spinning beside the echo-server thread.'),
    runsRoundTripsPerSecond: z
      .array(z.number().nonnegative())
      .min(1)
      .describe('Echo round trips per second completed by the client, per run.'),
    roundTripsPerSecond: z.number().nonnegative().describe('Median of runsRoundTripsPerSecond.'),
    runsMedianLatencyMs: z
      .array(z.number().nonnegative())
      .min(1)
      .describe('Median round-trip latency of each run, in milliseconds.'),
    medianLatencyMs: z.number().nonnegative().describe('Median of runsMedianLatencyMs.'),
    runsP90LatencyMs: z
      .array(z.number().nonnegative())
      .min(1)
      .describe('90th-percentile round-trip latency of each run, in milliseconds.'),
    p90LatencyMs: z.number().nonnegative().describe('Median of runsP90LatencyMs.'),
    cpuLoopsPerSecond: z
      .number()
      .nonnegative()
      .describe('Loop iterations per second of all CPU threads together (0 without CPU threads).'),
    ratioVsAlone: z
      .number()
      .nonnegative()
      .describe('roundTripsPerSecond / the 0-CPU-thread figure at the same switch interval.'),
  })
  .describe('One cell of the convoy grid: a switch interval and a number of CPU threads.');

export const convoySchema = z
  .strictObject({
    setup: z.string().describe('How the server, the I/O thread and the CPU threads are arranged.'),
    serverDelayMs: z
      .number()
      .nonnegative()
      .describe('How long the remote server waits before answering each message, in ms.'),
    messageBytes: positiveCount.describe('Size of each echoed message, in bytes.'),
    durationPerMeasurementS: z.number().positive().describe('Length of each run, in seconds.'),
    runsPerConfig: positiveCount.describe('Runs of each grid cell (interleaved over the grid).'),
    measurements: z
      .array(convoyMeasurementSchema)
      .min(1)
      .describe('Grid of switch intervals (5, 1, 0.1 ms) × CPU threads (0, 1, 2).'),
  })
  .describe('Convoy effect: an I/O thread waits up to a switch interval after every I/O call.');

const raceVariantSchema = z
  .strictObject({
    actualTotals: z.array(count).min(1).describe('Final counter value of each run.'),
    medianActualTotal: count.describe('Median of actualTotals.'),
    lostShares: z
      .array(z.number().min(0).max(1))
      .min(1)
      .describe('(expectedTotal − actual) / expectedTotal of each run: the share of updates lost.'),
    medianLostShare: z.number().min(0).max(1).describe('Median of lostShares.'),
    maxLostShare: z.number().min(0).max(1).describe('Largest of lostShares.'),
    runsS: z.array(z.number().nonnegative()).min(1).describe('Wall-clock seconds of each run.'),
    medianS: z.number().nonnegative().describe('Median of runsS, in seconds.'),
  })
  .describe('One way of incrementing the shared counter, run several times.');

export const raceSchema = z
  .strictObject({
    threads: positiveCount.describe('Threads incrementing the same global counter.'),
    incrementsPerThread: positiveCount.describe('Increments each thread performs.'),
    expectedTotal: positiveCount.describe(
      'threads × incrementsPerThread: the correct final value.',
    ),
    runsPerVariant: positiveCount.describe('Runs of each variant.'),
    variants: z
      .strictObject({
        plain: raceVariantSchema.describe(
          '`counter += 1` in a loop (no switch point inside on 3.11).',
        ),
        callBetween: raceVariantSchema.describe(
          '`tmp = counter; f(); counter = tmp + 1`: the call lets a switch land mid-update.',
        ),
        locked: raceVariantSchema.describe('`with lock: counter += 1` using a threading.Lock.'),
      })
      .describe('The three ways of incrementing, keyed by name.'),
  })
  .describe('Lost updates: the GIL does not make `counter += 1` atomic.');

const nativeComparisonSchema = z
  .strictObject({
    bufferMB: z.number().positive().describe('Size of each task’s own buffer, in MiB.'),
    passesPerTask: positiveCount.describe('Times each task processes its buffer.'),
    mbPerTask: z.number().positive().describe('bufferMB × passesPerTask: data processed per task.'),
    sequential: timingS.describe('All tasks one after another in the main thread.'),
    threaded: timingS.describe('All tasks at once, one thread each.'),
    speedup: z.number().positive().describe('sequential.medianS / threaded.medianS.'),
  })
  .describe('One C function run as tasks sequentially vs in threads.');

export const nativeSchema = z
  .strictObject({
    tasks: positiveCount.describe('Independent tasks (each with its own random buffer).'),
    threads: positiveCount.describe('Threads used for the threaded variant.'),
    runsPerVariant: positiveCount.describe('Runs of each variant (interleaved).'),
    zlibLevel: z
      .number()
      .int()
      .min(0)
      .max(9)
      .describe('Compression level passed to zlib.compress.'),
    sha256: nativeComparisonSchema.describe(
      'hashlib.sha256 update(): releases the GIL (≥ 2048 B).',
    ),
    zlib: nativeComparisonSchema.describe('zlib.compress: releases the GIL while compressing.'),
  })
  .describe('C code that releases the GIL runs truly in parallel in threads.');

export const startupSchema = z
  .strictObject({
    thread: timingMs.describe('threading.Thread(target=noop) start() + join().'),
    process: perStartMethod(timingMs).describe(
      'multiprocessing Process(target=noop) start() + join().',
    ),
  })
  .describe('Cost of starting (and ending) a no-op worker, in milliseconds.');

const copyTimingSchema = timingMs.extend({
  payloadMB: z.number().positive().describe('Pickled size of the payload, in MiB.'),
  msPerMB: z.number().nonnegative().describe('medianMs / payloadMB: milliseconds per pickled MiB.'),
});

export const copySchema = z
  .strictObject({
    startMethod: z.enum(['fork', 'forkserver', 'spawn']).describe('Start method of the worker.'),
    runsPerVariant: positiveCount.describe('Round trips timed per payload.'),
    bytes: copyTimingSchema.describe('A bytes object sent to a running worker (tiny ack back).'),
    listOfInts: copyTimingSchema
      .extend({
        items: positiveCount.describe('Number of ints in the list.'),
        nsPerItem: z.number().nonnegative().describe('medianMs per item, in nanoseconds.'),
        ratioVsBytes: z
          .number()
          .positive()
          .describe('listOfInts.msPerMB / bytes.msPerMB: how much dearer an object graph is.'),
      })
      .describe('A list of ints (an object graph) sent the same way.'),
  })
  .describe('Sending data to a worker process: pickle, copy through a pipe, unpickle.');

export const tinyTasksSchema = z
  .strictObject({
    n: positiveCount.describe('countdown(n) of one task, calibrated to about taskTargetMs.'),
    tasks: positiveCount.describe('Tasks submitted one by one (the widget preset: 1000).'),
    workers: positiveCount.describe('Processes in the pool.'),
    startMethod: z.enum(['fork', 'forkserver', 'spawn']).describe('Start method of the pool.'),
    taskTargetMs: z.number().positive().describe('Intended length of one task, in ms.'),
    runsPerVariant: positiveCount.describe('Rounds of each variant (interleaved).'),
    loop: timingS.describe('All tasks in a plain loop in the main thread.'),
    pool: timingS
      .extend({
        speedup: z.number().positive().describe('loop.medianS / pool.medianS.'),
      })
      .describe('The same tasks submitted to a process pool created inside the timed region.'),
    sendPerTask: timingMs
      .optional()
      .describe(
        "What one task's trip through a warm pool costs the parent process, ms per task: `tasks` no-op tasks, total ÷ tasks, one figure per round (the widget models this cost per task; absent in references measured before it).",
      ),
  })
  .describe('Many tiny tasks: what sending each task to a process and back costs.');

export const cpythonReferenceSchema = z
  .strictObject({
    schemaVersion: z.literal(1).describe('Version of this JSON shape; bumped on breaking changes.'),
    mode: z.enum(['full', 'quick']).describe('full: the reference run; quick: a smoke run.'),
    python: z
      .strictObject({
        version: z
          .string()
          .regex(/^\d+\.\d+\.\d+/)
          .describe('Interpreter version, e.g. 3.11.7.'),
        implementation: z.string().describe('platform.python_implementation(), e.g. CPython.'),
        gilEnabled: z.boolean().describe('Whether the GIL was enabled during the measurements.'),
        defaultSwitchIntervalS: z.number().positive().describe('sys.getswitchinterval() default.'),
      })
      .describe('The interpreter that was measured.'),
    machine: z
      .strictObject({
        cores: positiveCount.describe('os.cpu_count() of the machine.'),
        platform: z.string().describe('platform.platform(): OS, kernel and architecture.'),
        loadAverage1mStart: z
          .number()
          .describe('1-minute load average at the start (-1: unknown).'),
        loadAverage1mEnd: z.number().describe('1-minute load average at the end (-1: unknown).'),
      })
      .describe('The machine the figures were measured on.'),
    measuredAt: z.iso.datetime().describe('When the run started (ISO 8601, UTC).'),
    durationS: z.number().nonnegative().describe('Wall-clock length of the whole run, in seconds.'),
    notes: z.array(z.string()).describe('Caveats a reader of these figures should know.'),
    experiments: z
      .strictObject({
        countdown: countdownSchema,
        ioThreads: ioThreadsSchema,
        convoy: convoySchema,
        race: raceSchema,
        native: nativeSchema,
        startup: startupSchema,
        copy: copySchema,
        /** Optional: references measured before the tiny-tasks shape existed lack it. */
        tinyTasks: tinyTasksSchema.optional(),
      })
      .describe('One entry per experiment.'),
  })
  .describe('GIL experiments measured in a real CPython: the course’s reference figures.');

/** The whole reference JSON. */
export type CpythonReference = z.infer<typeof cpythonReferenceSchema>;
/** One cell of the convoy grid. */
export type ConvoyMeasurement = z.infer<typeof convoyMeasurementSchema>;

/** The convoy cell for a switch interval (ms) and a number of CPU threads, if measured. */
export function findConvoyMeasurement(
  reference: CpythonReference,
  switchIntervalMs: number,
  cpuThreads: number,
): ConvoyMeasurement | undefined {
  return reference.experiments.convoy.measurements.find(
    (m) => m.switchIntervalMs === switchIntervalMs && m.cpuThreads === cpuThreads,
  );
}
