// comlink ships node-adapter.d.ts, but TypeScript looks for .d.mts beside an .mjs; this bridges it.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  /** The part of a worker_threads MessagePort/Worker that comlink uses. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: unknown[]): void;
    on(type: string, listener: (value: unknown) => void): unknown;
    off(type: string, listener: (value: unknown) => void): unknown;
    start?: () => void;
  }
  /** Adapts a worker_threads endpoint to comlink's Endpoint. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
