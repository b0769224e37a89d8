import { EXECUTORS, THREAD_MODES } from '../runtime/core/mode.ts';
import { z } from './zod.ts';

/**
 * Experiment presets: what a lesson author writes (`<Experiment preset="countdown-gil" />`).
 * A preset states the reader-facing settings; the widget turns them into a runtime RunConfig.
 */

/**
 * Reader-facing kinds of work; each maps onto one or more runtime workloads. `native` is C code
 * that releases the GIL (hashlib on an input of 2,048 bytes or more); `native-held` the same
 * hashing in calls too small to release it (under 2,048 bytes: the GIL is kept).
 */
export const WORKLOAD_KINDS = [
  'cpu',
  'io',
  'mixed',
  'native',
  'native-held',
  'race',
  'asyncio',
] as const;
/** multiprocessing start methods the widget can model. */
export const START_METHOD_KINDS = ['fork', 'forkserver', 'spawn'] as const;
/** Controls an author may hide. */
export const CONTROL_NAMES = [
  'workload',
  'workers',
  'executor',
  'gil',
  'switchInterval',
  'startMethod',
  'race',
] as const;
/** Most workers the widget offers (the runtime allows more; the page should not). */
export const MAX_WIDGET_WORKERS = 16;
/** Switch intervals offered, in ms (CPython's default is 5 ms). */
export const SWITCH_INTERVALS_MS = [0.1, 0.5, 1, 5, 10, 50] as const;

/** The reader-facing settings of one run. */
export const ExperimentSettingsSchema = z
  .object({
    /** The kind of work each task does. */
    workload: z.enum(WORKLOAD_KINDS).default('cpu'),
    /** How the work is spread: `sequential`, `threads` (a thread pool) or `processes` (a process pool). */
    executor: z.enum(EXECUTORS).default('threads'),
    /** max_workers: threads or processes (1…16). */
    workers: z.number().int().min(1).max(MAX_WIDGET_WORKERS).default(2),
    /** Tasks to run (asyncio: concurrent waits); defaults to one per worker. */
    tasks: z.number().int().min(1).max(10_000).optional(),
    /**
     * Threads' mode: `gil`, standard CPython; `free-threaded`, PYTHON_GIL=0 on 3.13t+ (shown as
     * the "GIL on" switch). Process pools ignore it: each process has its own GIL.
     */
    mode: z.enum(THREAD_MODES).default('gil'),
    /** sys.setswitchinterval, in ms (0.05…100). */
    switchIntervalMs: z.number().min(0.05).max(100).default(5),
    /** Start method whose CPython start-up the process pool's parent performs (real work, inside the wall time). */
    startMethod: z.enum(START_METHOD_KINDS).default('fork'),
    /** About how long one task takes on this device, in ms (work is calibrated to it). */
    taskMs: z.number().min(0.05).max(5000).default(300),
    /** race: call a function between reading and writing the counter. */
    callBetween: z.boolean().default(true),
    /** race: guard the increment with a threading.Lock. */
    useLock: z.boolean().default(false),
  })
  .strict();

/** A multiple-choice prediction about the run's speed (compared with the measured speedup). */
const SpeedPrediction = z
  .object({
    kind: z.literal('speed'),
    /** The question shown before the run. */
    question: z.string().min(1),
  })
  .strict();

/** A numeric prediction of one measured figure. */
const NumberPrediction = z
  .object({
    kind: z.literal('number'),
    /** The question shown before the run. */
    question: z.string().min(1),
    /** Which result figure the guess is compared with. */
    metric: z.enum(['speedup', 'wallMs', 'lostPercent', 'switches', 'ioPerSecond']),
    /** Unit shown after the input (e.g. "×", "ms", "%"). */
    unit: z.string().default(''),
  })
  .strict();

/** One preset, as lessons name it. */
export const ExperimentPresetSchema = z
  .object({
    /** Heading of the widget. */
    title: z.string().min(1),
    /** One or two sentences: what this experiment shows. */
    description: z.string().min(1),
    /** Starting settings. */
    settings: ExperimentSettingsSchema,
    /** Controls the reader does not need for this experiment. */
    hide: z.array(z.enum(CONTROL_NAMES)).default([]),
    /** Ask the reader to predict before the first run. */
    predict: z.discriminatedUnion('kind', [SpeedPrediction, NumberPrediction]).optional(),
  })
  .strict();

/**
 * What Experiment.astro renders into the widget's `data-preset`, checked again in the browser (the
 * attribute can be edited): a preset without a name or settings is broken, never run on defaults.
 */
export const ClientPresetSchema = z
  .object({
    /** The preset's name (recorded runs and CPython's figures are looked up by it). */
    name: z.string().min(1),
    /** The complete starting settings. */
    settings: ExperimentSettingsSchema,
    /** The prediction asked before the first run, if any. */
    predict: z.discriminatedUnion('kind', [SpeedPrediction, NumberPrediction]).nullable(),
  })
  .strict();

/** What an MDX author may override per embed. */
export const ExperimentPropsSchema = z
  .object({
    /** Name of a preset in src/components/experiment/presets.ts. */
    preset: z.string().min(1),
    /** Settings to change for this embed only. */
    settings: ExperimentSettingsSchema.partial().optional(),
    /** Replace the preset's title. */
    title: z.string().min(1).optional(),
    /** Hide more (or other) controls than the preset does. */
    hide: z.array(z.enum(CONTROL_NAMES)).optional(),
    /**
     * Start with "The Python that matches these settings" folded away: for lessons that already
     * show that program next to the experiment, so the page does not show it twice. Default: open.
     */
    foldPython: z.boolean().optional(),
  })
  .strict();

export type ExperimentSettings = z.output<typeof ExperimentSettingsSchema>;
export type ExperimentPreset = z.output<typeof ExperimentPresetSchema>;
export type ExperimentPresetInput = z.input<typeof ExperimentPresetSchema>;
export type ExperimentProps = z.input<typeof ExperimentPropsSchema>;
export type ControlName = (typeof CONTROL_NAMES)[number];
