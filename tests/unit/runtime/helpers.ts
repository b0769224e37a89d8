/** Shared set-up for runtime tests: a Node runtime over worker_threads and small calibrated sizes. */
import { createRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { nodeWorkerFactory, type NodeWorkerTracker } from '../../../src/runtime/node/index.ts';

/** A runtime whose workers are worker_threads, plus the tracker of those workers. */
export function nodeRuntime(entry?: URL): { runtime: Runtime; tracker: NodeWorkerTracker } {
  const { factory, tracker } = nodeWorkerFactory(entry);
  // Node's V8 reaches full speed within a few ms; tests only need correct behaviour anyway.
  return { runtime: createRuntime({ workerFactory: factory, warmupMs: 20 }), tracker };
}

/** Deterministic PRNG (mulberry32) so random configurations are reproducible from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cores available to the test process. */
export const CORES = globalThis.navigator?.hardwareConcurrency ?? 1;
