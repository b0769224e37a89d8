/**
 * The shell every engine's workers share: a started worker as a factory hands it over (Web Worker
 * in the browser, worker_threads in Node: src/runtime/node/) and the browser's wrapping of one.
 */
import type { Endpoint } from 'comlink';

/** A started worker as the factory hands it over. */
export interface WorkerHandle {
  /** Where comlink talks to the worker. */
  endpoint: Endpoint;
  /** Stops the worker; may resolve once it has really exited. */
  terminate(): void | Promise<unknown>;
  /** Registers a callback for a crash: failed load, uncaught error or unexpected exit. */
  onFailure(listener: (error: Error) => void): void;
}

/** Creates one worker running an engine's worker entry (`thread.worker.ts`, `python.worker.ts`). */
export type WorkerFactory = (name: string) => WorkerHandle;

/** Wraps a Web Worker as a WorkerHandle: load errors and undecodable messages become failures. */
export function webWorkerHandle(worker: Worker): WorkerHandle {
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onFailure(listener) {
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        listener(new Error(e.message || 'failed to load or threw an uncaught error'));
      });
      worker.addEventListener('messageerror', () =>
        listener(new Error('could not decode a message')),
      );
    },
  };
}
