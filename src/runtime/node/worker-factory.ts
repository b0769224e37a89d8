/**
 * A WorkerFactory for Node: worker_threads running node-thread.worker.ts, loaded natively by Node 24
 * (type stripping), so the code under test is exactly the runtime's code. Used by tests and the bench.
 */
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { WorkerFactory } from '../core/worker-shell.ts';

/** What the factory created, so tests can crash workers and check that none stay alive. */
export interface NodeWorkerTracker {
  workers: Worker[];
  /** How many workers have not emitted 'exit' yet. */
  live(): number;
  /** The workers that have not emitted 'exit' yet. */
  alive(): Worker[];
  /** Resolves once every created worker has exited. */
  allExited(): Promise<void>;
}

/** Default worker entry. */
export const NODE_WORKER_ENTRY = new URL('./thread.worker.ts', import.meta.url);

/** A worker_threads factory (optionally with another entry file) and a tracker of what it made. */
export function nodeWorkerFactory(entry: URL = NODE_WORKER_ENTRY): {
  factory: WorkerFactory;
  tracker: NodeWorkerTracker;
} {
  const workers: Worker[] = [];
  const exits: Promise<void>[] = [];
  const alive = new Set<Worker>();
  const factory: WorkerFactory = (name) => {
    const worker = new Worker(entry, { name });
    workers.push(worker);
    alive.add(worker);
    let expected = false;
    const listeners: ((e: Error) => void)[] = [];
    const fail = (e: Error): void => listeners.forEach((l) => l(e));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        alive.delete(worker);
        if (!expected) fail(new Error(`exited unexpectedly with code ${code}`));
        resolve();
      }),
    );
    exits.push(exited);
    worker.on('error', (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
    return {
      endpoint: nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]),
      terminate: async () => {
        expected = true;
        await worker.terminate();
        await exited;
      },
      onFailure: (l) => listeners.push(l),
    };
  };
  return {
    factory,
    tracker: {
      workers,
      live: () => alive.size,
      alive: () => [...alive],
      allExited: async () => void (await Promise.all(exits)),
    },
  };
}
