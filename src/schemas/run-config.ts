import { EXECUTORS, MODES, type ExecutorKind } from '../runtime/core/mode.ts';
import { z } from './zod.ts';

/**
 * Zod schemas for one GIL Lab experiment run. Every check carries a message that names the allowed
 * range, so `src/runtime/experiments/config.ts` only has to prefix the field path to get a readable error.
 */

/** concurrent.futures-style executors (defined with the modes, in src/runtime/core/mode.ts). */
export { EXECUTORS, type ExecutorKind };
/** Workloads the runtime can run; each is real computation (or real blocking waits: io, asyncio). */
export const WORKLOADS = [
  'countdown',
  'primes',
  'hash',
  'mandelbrot',
  'io',
  'native',
  'race',
  'asyncio',
] as const;
/** multiprocessing start methods whose CPython start-up cost can be modelled. */
export const START_METHODS = ['none', 'fork', 'forkserver', 'spawn'] as const;

/** Allowed `workers` (max_workers): at least one, at most what a page can reasonably host. */
export const WORKERS_RANGE = { min: 1, max: 64 } as const;
/** Allowed number of tasks per run. */
export const TASKS_RANGE = { min: 1, max: 1024 } as const;
/** sys.setswitchinterval range the runtime accepts, in ms. */
export const SWITCH_INTERVAL_RANGE = { min: 0.05, max: 100 } as const;
/** Allowed calibration target per task, in ms. */
export const TARGET_MS_RANGE = { min: 0.05, max: 60_000 } as const;
/** Allowed input buffer for hash/native, in bytes. */
export const BYTES_RANGE = { min: 1024, max: 64 * 1024 * 1024 } as const;
/** Allowed blocking calls per io task. */
export const CALLS_RANGE = { min: 1, max: 100_000 } as const;
/** Allowed timeline capacity, in events per thread. */
export const CAPACITY_RANGE = { min: 256, max: 1 << 20 } as const;
/** Allowed iterations for Runtime.measureLock (acquire + release pairs). */
export const LOCK_ITERATIONS_RANGE = { min: 1, max: 100_000_000 } as const;

/** Size limits and unit per workload: what one unit of `size` means. */
export const SIZE_LIMITS: Record<
  (typeof WORKLOADS)[number],
  { min: number; max: number; unit: string }
> = {
  countdown: { min: 1, max: 1e11, unit: 'iterations' },
  primes: { min: 1, max: 1e9, unit: 'numbers tested' },
  hash: { min: 1, max: 1e6, unit: 'passes over the buffer' },
  mandelbrot: { min: 1, max: 1e6, unit: 'rows' },
  io: { min: 0, max: 60_000, unit: 'ms per blocking call' },
  asyncio: { min: 0, max: 60_000, unit: 'ms of the longest wait' },
  native: { min: 1, max: 1e6, unit: 'passes over the buffer' },
  race: { min: 1, max: 1e9, unit: 'increments' },
};

/** The value as given: numbers as JS prints them (NaN, Infinity, 1e+21), anything else as JSON. */
const show = (input: unknown): string =>
  typeof input === 'number' || typeof input === 'bigint'
    ? String(input)
    : (JSON.stringify(input) ?? String(input));

/** A finite number in [min, max]; the message names the range and the value received. */
function numberIn(range: { min: number; max: number }, integer: boolean, unit = '') {
  const what = `${integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}${unit ? ` ${unit}` : ''}`;
  const error = (iss: { input?: unknown }) => `must be ${what} (got ${show(iss.input)})`;
  const base = z.number({ error });
  return (integer ? base.int({ error }) : base).min(range.min, { error }).max(range.max, { error });
}

/** A string among `values`; the message lists them. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) => `must be one of ${values.join(', ')} (got ${show(iss.input)})`,
  });
}

/** A switch interval in ms (config.switchIntervalMs and Executor.setSwitchInterval). */
export const SwitchIntervalSchema = numberIn(SWITCH_INTERVAL_RANGE, false, 'ms');
/** Iterations for Runtime.measureLock. */
export const LockIterationsSchema = numberIn(LOCK_ITERATIONS_RANGE, true);

/** What each task computes and how much of it. */
export const WorkloadSchema = z
  .object({
    /** Which workload each task runs. */
    name: oneOf(WORKLOADS),
    /**
     * Work per task in the workload's unit (see SIZE_LIMITS); omit it and give targetMs instead.
     * Its range depends on `name`, so the whole check (type included) is in superRefine below,
     * where the message can name that range.
     */
    size: z.custom<number>(() => true).optional(),
    /** Instead of size: calibrate so one task takes about this long on this device, in ms. */
    targetMs: numberIn(TARGET_MS_RANGE, false, 'ms').optional(),
    /** hash/native: bytes in the input buffer the task hashes. */
    bytes: numberIn(BYTES_RANGE, true, 'bytes').default(1 << 20),
    /** io: blocking calls per task, each lasting `size` ms, with a little CPU work after each;
     * asyncio: concurrent waits the event loop runs on its one thread. */
    calls: numberIn(CALLS_RANGE, true).default(1),
    /** race: call a function between the read and the write (an eval-breaker point). */
    callBetween: z.boolean({ error: 'must be true or false' }).default(false),
    /** race: guard the read-modify-write with a threading.Lock (a second Atomics lock). */
    useLock: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict()
  .superRefine((w, ctx) => {
    if ((w.size === undefined) === (w.targetMs === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: 'give exactly one of size or targetMs',
      });
    }
    const lim = SIZE_LIMITS[w.name];
    const integer = w.name !== 'io' && w.name !== 'asyncio';
    if (
      w.size !== undefined &&
      (typeof w.size !== 'number' ||
        !(w.size >= lim.min && w.size <= lim.max) ||
        (integer && !Number.isInteger(w.size)))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `must be ${integer ? 'an integer' : 'a number'} from ${lim.min} to ${lim.max} ${lim.unit} for ${w.name} (got ${show(w.size)})`,
      });
    }
  });

/** One experiment: which executor and lock model run how many tasks of which workload. */
export const RunConfigSchema = z
  .object({
    /** Lock model: one shared GIL, free-threaded (no lock), or processes (one GIL each). */
    mode: oneOf(MODES).optional(),
    /** Executor: sequential, threads or processes; defaults to processes for mode "processes", else threads. */
    executor: oneOf(EXECUTORS).optional(),
    /** Threads or processes in the pool (max_workers); sequential always uses one. */
    workers: numberIn(WORKERS_RANGE, true).default(2),
    /** Identical tasks to submit (task i gets index i); defaults to one per worker. */
    tasks: numberIn(TASKS_RANGE, true).optional(),
    /** The work each task does. */
    workload: WorkloadSchema,
    /** sys.setswitchinterval in ms: how long a waiter waits before asking the holder to drop the GIL. */
    switchIntervalMs: SwitchIntervalSchema.default(5),
    /**
     * Process start method: the pool's parent (a lane of its own) starts each process with real
     * work sized to CPython's measured start-up by this method, inside the wall time, then sends
     * every task (experiments/parent-model.ts). "none": no parent, nothing modelled.
     */
    startMethod: oneOf(START_METHODS).default('none'),
    /** Timeline events each thread can record; later events are dropped (and counted). */
    timelineCapacity: numberIn(CAPACITY_RANGE, true).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const mode = c.mode ?? (c.executor === 'processes' ? 'processes' : 'gil');
    const executor = c.executor ?? (mode === 'processes' ? 'processes' : 'threads');
    if ((executor === 'processes') !== (mode === 'processes')) {
      ctx.addIssue({
        code: 'custom',
        path: ['executor'],
        message: `"${executor}" cannot run mode "${mode}": executor "processes" goes with mode "processes", "threads" and "sequential" with "gil" or "free-threaded"`,
      });
    }
    if (c.startMethod !== 'none' && executor !== 'processes') {
      ctx.addIssue({
        code: 'custom',
        path: ['startMethod'],
        message: 'must be "none" unless the executor is "processes"',
      });
    }
    if (c.workload.name === 'race' && mode === 'processes') {
      ctx.addIssue({
        code: 'custom',
        path: ['workload', 'name'],
        message:
          'race needs memory shared between threads; processes do not share a counter (use gil or free-threaded)',
      });
    }
  });

/** A run configuration as the caller writes it (defaults optional). */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
/** A workload as the caller writes it. */
export type WorkloadInput = z.input<typeof WorkloadSchema>;
/** A parsed workload, defaults applied. */
export type WorkloadConfig = z.output<typeof WorkloadSchema>;
/** Workload name. */
export type WorkloadName = (typeof WORKLOADS)[number];
/** Start method. */
export type StartMethod = (typeof START_METHODS)[number];
