import {
  ExperimentPresetSchema,
  ExperimentPropsSchema,
  type ExperimentPreset,
  type ExperimentPresetInput,
  type ExperimentProps,
} from '../../schemas/experiment.ts';

/**
 * Every experiment a lesson can embed, by name. Lessons write `<Experiment preset="…" />` and
 * never touch runtime code; schema and field docs: src/schemas/experiment.ts.
 */
const PRESETS = {
  'countdown-gil': {
    title: 'Two threads, one countdown each',
    description:
      'Each thread counts a number down to zero: pure computation. Run it with the GIL on, then switch the GIL off and run it again.',
    settings: { workload: 'cpu', executor: 'threads', workers: 2, mode: 'gil' },
    hide: ['workload', 'startMethod', 'race', 'switchInterval'],
    predict: {
      kind: 'speed',
      question:
        'Two threads on the GIL: compared with running both countdowns one after the other?',
    },
  },
  'io-threads': {
    title: 'Four threads waiting on I/O',
    description:
      'Each task makes one blocking call of 250 ms (the worker really sleeps, like a socket read). Waiting releases the GIL.',
    settings: { workload: 'io', executor: 'threads', workers: 4, mode: 'gil', taskMs: 250 },
    hide: ['workload', 'startMethod', 'race', 'switchInterval'],
    predict: {
      kind: 'number',
      question: 'Four threads, one 250 ms call each: how long does the whole batch take?',
      metric: 'wallMs',
      unit: 'ms',
    },
  },
  'cpu-processes': {
    title: 'Countdowns in processes',
    description:
      'Each process has its own interpreter and its own GIL. Compare threads with processes, and see what starting a process costs.',
    settings: {
      workload: 'cpu',
      executor: 'processes',
      workers: 2,
      mode: 'gil',
      startMethod: 'fork',
    },
    hide: ['workload', 'race', 'switchInterval', 'gil'],
  },
  'tiny-tasks': {
    title: 'Many tiny tasks on a process pool',
    description:
      'A thousand tasks of about 0.1 ms each. Every task is sent to a process and its result sent back.',
    settings: {
      workload: 'cpu',
      executor: 'processes',
      workers: 2,
      tasks: 1000,
      taskMs: 0.1,
      startMethod: 'fork',
    },
    hide: ['workload', 'race', 'switchInterval', 'gil'],
    predict: {
      kind: 'speed',
      question: 'A thousand tiny tasks on a pool of two processes: compared with a plain loop?',
    },
  },
  'futures-executors': {
    title: 'Same map, different executor',
    description:
      'One call, executor.map(countdown, …), run by a thread pool or a process pool: only the executor changes.',
    settings: { workload: 'cpu', executor: 'threads', workers: 2, tasks: 2, mode: 'gil' },
    hide: ['race', 'switchInterval', 'gil'],
    predict: {
      kind: 'speed',
      question:
        'Two countdowns mapped over a 2-worker thread pool: compared with a plain loop? (Then try the process pool.)',
    },
  },
  'race-counter': {
    title: 'Two threads, one counter',
    description:
      'Both threads add 1 to a shared counter many times: read it, (maybe) call a function, write it back.',
    settings: {
      workload: 'race',
      executor: 'threads',
      workers: 2,
      callBetween: false,
      useLock: false,
    },
    hide: ['workload', 'executor', 'startMethod'],
    predict: {
      kind: 'number',
      question: 'What share of the increments will be lost?',
      metric: 'lostPercent',
      unit: '%',
    },
  },
  'race-no-gil': {
    title: 'The plain loop without a GIL',
    description:
      'The plain loop of switch_points.py in two threads of a free-threaded build: nothing waits for a switch point, because both threads run at once and their reads and writes interleave anywhere. Then switch the GIL on: only calls and the loop’s back edge are left.',
    settings: {
      workload: 'race',
      executor: 'threads',
      workers: 2,
      mode: 'free-threaded',
      callBetween: false,
      useLock: false,
    },
    hide: ['workload', 'executor', 'startMethod'],
    predict: {
      kind: 'number',
      question:
        'No GIL, nothing between read and write: what share of the increments will be lost?',
      metric: 'lostPercent',
      unit: '%',
    },
  },
  'shared-object-no-gil': {
    title: 'No GIL, one shared object',
    description:
      'Free-threaded, every thread updates one shared counter under one lock, as every change to one shared dict takes that dict’s own lock. Each thread’s updates alone take about 300 ms.',
    settings: {
      workload: 'race',
      executor: 'threads',
      workers: 2,
      mode: 'free-threaded',
      callBetween: false,
      useLock: true,
    },
    hide: ['workload', 'executor', 'startMethod', 'switchInterval'],
    predict: {
      kind: 'number',
      question:
        'Two threads, no GIL, one lock: how long until both threads’ updates are done? (Each alone: about 300 ms.)',
      metric: 'wallMs',
      unit: 'ms',
    },
  },
  convoy: {
    title: 'An I/O thread behind a CPU thread',
    description:
      'One thread makes short blocking calls (0.2 ms each, like a quick server); the other computes. After every call, the I/O thread must get the GIL back.',
    settings: {
      workload: 'mixed',
      executor: 'threads',
      workers: 2,
      mode: 'gil',
      switchIntervalMs: 5,
      taskMs: 1000,
    },
    hide: ['workload', 'executor', 'startMethod', 'race'],
    predict: {
      kind: 'number',
      question: 'Beside a CPU thread, with the 5 ms interval: how many round trips per second?',
      metric: 'ioPerSecond',
      unit: '/s',
    },
  },
  'native-release': {
    title: 'C code that releases the GIL',
    description:
      'Each task hashes a large buffer in "C code" that drops the GIL while it works, like hashlib and zlib.',
    settings: { workload: 'native', executor: 'threads', workers: 4, mode: 'gil' },
    hide: ['workload', 'startMethod', 'race', 'switchInterval'],
    predict: {
      kind: 'speed',
      question: 'Four threads in C code that releases the GIL: compared with one after the other?',
    },
  },
  'hashlib-cliff': {
    title: 'The 2048-byte cliff',
    description:
      'Four threads hash in small calls, like hashlib on 2,047-byte messages: too small to release the GIL. Then pick “Native: C code that releases the lock”, the same hashing in calls of 2,048 bytes or more.',
    settings: { workload: 'native-held', executor: 'threads', workers: 4, mode: 'gil' },
    hide: ['startMethod', 'race', 'switchInterval'],
    predict: {
      kind: 'speed',
      question:
        'Four threads hashing in calls too small to release the GIL: compared with one after the other?',
    },
  },
  'free-threaded': {
    title: 'Free-threaded: no GIL at all',
    description:
      'The same countdowns with the GIL off, like python3.14t with PYTHON_GIL=0. Run it with 1, 2, 3 and 4 workers.',
    settings: { workload: 'cpu', executor: 'threads', workers: 1, mode: 'free-threaded' },
    hide: ['workload', 'startMethod', 'race', 'switchInterval'],
  },
  'asyncio-waits': {
    title: 'Many waits on one thread',
    description:
      'An event loop on a single thread starts a thousand waits of up to 200 ms at once and handles each one as it completes.',
    settings: { workload: 'asyncio', executor: 'sequential', workers: 1, tasks: 1000, taskMs: 200 },
    hide: ['workload', 'executor', 'workers', 'gil', 'startMethod', 'race', 'switchInterval'],
    predict: {
      kind: 'number',
      question: 'One wait takes up to 200 ms. How long do a thousand of them take on one thread?',
      metric: 'wallMs',
      unit: 'ms',
    },
  },
} satisfies Record<string, ExperimentPresetInput>;

/** Names of all presets. */
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Validates a preset name plus per-embed overrides; throws an error naming what is wrong. */
export function resolvePreset(props: ExperimentProps): ExperimentPreset & { name: string } {
  const parsed = ExperimentPropsSchema.safeParse(props);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`<Experiment>: ${issue?.path.join('.') || 'props'} ${issue?.message ?? ''}`);
  }
  const { preset: name, settings, title, hide } = parsed.data;
  if (!(name in PRESETS)) {
    throw new Error(
      `<Experiment>: unknown preset "${name}". Known presets: ${PRESET_NAMES.join(', ')}.`,
    );
  }
  const base = PRESETS[name as PresetName] as ExperimentPresetInput;
  const merged = ExperimentPresetSchema.safeParse({
    ...base,
    ...(title ? { title } : {}),
    ...(hide ? { hide } : {}),
    settings: { ...base.settings, ...settings },
  });
  if (!merged.success) {
    const issue = merged.error.issues[0];
    throw new Error(`<Experiment preset="${name}">: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return { name, ...merged.data };
}
