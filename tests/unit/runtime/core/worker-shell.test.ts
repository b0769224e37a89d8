import { describe, expect, it } from 'vitest';
import { webWorkerHandle } from '../../../../src/runtime/core/worker-shell.ts';

/**
 * A stand-in for a Web Worker that counts its listeners: what the browser's Worker does with
 * addEventListener (including the `signal` option) is what EventTarget does in Node, which
 * removes a listener whose signal aborts through removeEventListener.
 */
class CountingWorker extends EventTarget {
  listeners = 0;
  terminated = false;
  override addEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    this.listeners++;
    super.addEventListener(type, callback, options);
  }
  override removeEventListener(
    type: string,
    callback: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    this.listeners--;
    super.removeEventListener(type, callback, options);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('webWorkerHandle', () => {
  it('reports a worker error as a failure while the worker is alive', () => {
    const worker = new CountingWorker();
    const handle = webWorkerHandle(worker as unknown as Worker);
    const failures: string[] = [];
    handle.onFailure((e) => failures.push(e.message));
    const error = new Event('error', { cancelable: true }) as Event & { message: string };
    error.message = 'boom';
    worker.dispatchEvent(error);
    worker.dispatchEvent(new Event('messageerror'));
    expect(failures).toEqual(['boom', 'could not decode a message']);
    expect(error.defaultPrevented).toBe(true);
  });

  it('removes its listeners when the worker is terminated (issue 16: they kept dead Workers alive)', async () => {
    const worker = new CountingWorker();
    const handle = webWorkerHandle(worker as unknown as Worker);
    const failures: string[] = [];
    handle.onFailure((e) => failures.push(e.message));
    expect(worker.listeners).toBe(2);
    await handle.terminate();
    expect(worker.terminated).toBe(true);
    expect(worker.listeners).toBe(0);
    worker.dispatchEvent(new Event('messageerror'));
    expect(failures).toEqual([]);
  });
});
