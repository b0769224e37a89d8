/**
 * Worker side: what a Python program can reach of its worker through Pyodide's `js` module (and
 * any JsProxy's constructor chain), and how the page learns that the worker went away.
 *
 * - Network: once Pyodide has booted (it fetches its own files), the worker's ways of making a
 *   request are removed from its global scope and every prototype of it: fetch, XMLHttpRequest,
 *   WebSocket, EventSource and the like, nested workers (a blob: worker would get them back) and
 *   the caches that can fetch. The pages' and workers' Content-Security-Policy (connect-src 'self')
 *   is the real wall; this makes the page's "no network" true and the failure clear.
 * - close(): a program calling `js.self.close()` would end the worker silently (a closing worker
 *   fires no event on the page) and leave the run waiting forever; it raises instead.
 * - A Web Lock held for the worker's whole life: the page (interpreters.ts) waits for it, so it
 *   notices a worker that is gone for any reason, however it went.
 */

/** Globals that can send a request, or get back something that can. */
const NETWORK_NAMES = [
  'fetch',
  'XMLHttpRequest',
  'XMLHttpRequestEventTarget',
  'XMLHttpRequestUpload',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'Worker',
  'SharedWorker',
  'importScripts',
  'FontFace',
  'caches',
  'CacheStorage',
  'Cache',
  'BackgroundFetchManager',
] as const;

/** The error a program gets for a removed global. */
export const NO_NETWORK_MESSAGE =
  'GIL Lab: network access is not available in GIL Lab’s Python (the page allows no request beyond its own files)';

/** Every object on the global's prototype chain (the global first). */
function chain(): object[] {
  const out: object[] = [];
  for (let o: object | null = globalThis; o !== null; o = Object.getPrototypeOf(o) as object | null)
    out.push(o);
  return out;
}

/** Removes the network globals; a name that cannot be deleted is overwritten with undefined. */
export function removeNetwork(): string[] {
  const left: string[] = [];
  for (const name of NETWORK_NAMES) {
    for (const o of chain()) {
      if (!Object.prototype.hasOwnProperty.call(o, name)) continue;
      if (Reflect.deleteProperty(o, name)) continue;
      try {
        Object.defineProperty(o, name, { value: undefined, configurable: false, writable: false });
      } catch {
        left.push(name);
      }
    }
  }
  const beacon = (globalThis.navigator as { sendBeacon?: unknown } | undefined)?.sendBeacon;
  if (beacon !== undefined)
    for (let o: object | null = globalThis.navigator; o !== null; o = Object.getPrototypeOf(o))
      Reflect.deleteProperty(o, 'sendBeacon');
  return left;
}

/** Makes `close()` raise in the worker instead of ending it. */
export function forbidClose(): void {
  const refuse = (): never => {
    throw new Error(
      'GIL Lab: a Python program cannot close its worker (the page runs it and ends it when the run is over)',
    );
  };
  for (const o of chain()) {
    if (!Object.prototype.hasOwnProperty.call(o, 'close')) continue;
    try {
      Object.defineProperty(o, 'close', { value: refuse, configurable: false, writable: false });
    } catch {
      // Not configurable: the liveness lock still tells the page the worker went away.
    }
  }
}

interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
}

/** The Web Locks API, where this environment has it (browsers; not every Node). */
export function lockManager(): LockManagerLike | null {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks && typeof locks.request === 'function' ? locks : null;
}

/**
 * Takes the lock `name` and holds it until the worker ends; resolves once it is held (so the page,
 * which asks for it afterwards, is granted it only when the worker is gone).
 */
export async function holdAliveLock(name: string | undefined): Promise<void> {
  const locks = lockManager();
  if (!name || locks === null) return;
  await new Promise<void>((held) => {
    void locks.request(name, () => {
      held();
      return new Promise<never>(() => undefined);
    });
  });
}
