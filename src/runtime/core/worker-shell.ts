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

/**
 * Wraps a Web Worker as a WorkerHandle: load errors and undecodable messages become failures.
 *
 * terminate() also removes the failure listeners. They reach the worker's owner (and through it the
 * comlink proxy), and comlink keeps every Worker strongly in a FinalizationRegistry until its proxy
 * is collected: a listener from the Worker back to the proxy made that a cycle the collector
 * cannot break, so every terminated worker (a process pool's two per run) stayed in memory for
 * the rest of the visit, with its listeners (issue 16).
 */
export function webWorkerHandle(worker: Worker): WorkerHandle {
  const stop = new AbortController();
  return {
    endpoint: worker,
    terminate: () => {
      stop.abort();
      worker.terminate();
    },
    onFailure(listener) {
      const { signal } = stop;
      worker.addEventListener(
        'error',
        (e) => {
          e.preventDefault();
          listener(new Error(e.message || 'failed to load or threw an uncaught error'));
        },
        { signal },
      );
      worker.addEventListener(
        'messageerror',
        () => listener(new Error('could not decode a message')),
        { signal },
      );
    },
  };
}
