import { describe, expect, it } from 'vitest';
import {
  WarmPool,
  WorkerShell,
  webWorkerHandle,
  type WorkerFactory,
} from '../../../../src/runtime/core/worker-shell.ts';

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

/** A factory whose workers never answer; `fail(name)` makes one crash, `terminated` lists stops. */
function fakeWorkers() {
  const failures = new Map<string, (e: Error) => void>();
  const terminated: string[] = [];
  const ports: MessagePort[] = [];
  const factory: WorkerFactory = (name) => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    return {
      endpoint: port1,
      terminate: () => void terminated.push(name),
      onFailure: (listener) => void failures.set(name, listener),
    };
  };
  const close = () => ports.forEach((p) => p.close());
  return {
    factory,
    terminated,
    close,
    fail: (name: string) => failures.get(name)?.(new Error('boom')),
  };
}

describe('WorkerShell: a worker’s life, as both engines need it', () => {
  it('rejects a pending call at once with the crash, and every later call too', async () => {
    const w = fakeWorkers();
    const shell = new WorkerShell<unknown>(
      w.factory,
      'a#1',
      (e) => new Error(`a crashed: ${e.message}`),
    );
    const pending = shell.guard(new Promise(() => undefined));
    w.fail('a#1');
    await expect(pending).rejects.toThrow('a crashed: boom');
    await expect(shell.guard(Promise.resolve(1))).rejects.toThrow('a crashed: boom');
    expect(shell.alive).toBe(false);
    expect(w.terminated).toEqual(['a#1']);
    w.close();
  });

  it('stops once: terminate rejects calls in flight with its reason', async () => {
    const w = fakeWorkers();
    const shell = new WorkerShell<unknown>(w.factory, 'b#1', (e) => e);
    const pending = shell.guard(new Promise(() => undefined));
    await shell.terminate(new Error('disposed'));
    await shell.terminate(new Error('again'));
    await expect(pending).rejects.toThrow('disposed');
    expect(w.terminated).toEqual(['b#1']);
    w.close();
  });
});

/** A worker with a helper that lives and dies with it (as the green engine's ticker does). */
class WithHelper extends WorkerShell<unknown> {
  constructor(factory: WorkerFactory, name: string) {
    super(factory, name, (e) => new Error(`${name} crashed: ${e.message}`));
    this.companion(factory, `${name}-helper`);
  }
}

describe('WorkerShell companions: helper workers that live and die with a worker', () => {
  it('a crash of the helper is the worker’s crash: calls reject, both are stopped', async () => {
    const w = fakeWorkers();
    const shell = new WithHelper(w.factory, 'c');
    const pending = shell.guard(new Promise(() => undefined));
    w.fail('c-helper');
    await expect(pending).rejects.toThrow('c crashed: boom');
    expect(shell.alive).toBe(false);
    expect(w.terminated.sort()).toEqual(['c', 'c-helper']);
    w.close();
  });

  it('terminate (and a crash of the worker) stops the helper too, once', async () => {
    const w = fakeWorkers();
    const stopped = new WithHelper(w.factory, 'd');
    await stopped.terminate(new Error('disposed'));
    await stopped.terminate();
    const crashed = new WithHelper(w.factory, 'e');
    w.fail('e');
    w.fail('e-helper');
    expect(crashed.alive).toBe(false);
    expect(w.terminated.sort()).toEqual(['d', 'd-helper', 'e', 'e-helper']);
    w.close();
  });
});

describe('WorkerShell.guardWithin', () => {
  it('rejects with its message when the call takes too long, and stays usable', async () => {
    const w = fakeWorkers();
    const shell = new WorkerShell<unknown>(w.factory, 'f', (e) => e);
    await expect(shell.guardWithin(new Promise(() => undefined), 5, 'too slow')).rejects.toThrow(
      'too slow',
    );
    await expect(shell.guardWithin(Promise.resolve(2), 1000, 'too slow')).resolves.toBe(2);
    expect(shell.alive).toBe(true);
    w.close();
  });
});

describe('WarmPool: workers kept warm between runs', () => {
  it('hands back the warm worker, skipping dead ones, and terminates what may not be reused', async () => {
    const w = fakeWorkers();
    const pool = new WarmPool<WorkerShell<unknown>>();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => new WorkerShell<unknown>(w.factory, n, (e) => e));
    for (const x of [a!, b!, c!]) pool.add(x);
    pool.giveBack(a!);
    pool.giveBack(b!);
    pool.giveBack(c!, false);
    expect(w.terminated).toEqual(['c']);
    expect(pool.warm).toBe(2);
    w.fail('b');
    expect(pool.takeWarm()).toBe(a);
    expect(pool.takeWarm()).toBeNull();
    expect(pool.live).toBe(1);
    w.close();
  });

  it('terminates every worker on dispose, the leased ones too', async () => {
    const w = fakeWorkers();
    const pool = new WarmPool<WorkerShell<unknown>>();
    const leased = new WorkerShell<unknown>(w.factory, 'leased', (e) => e);
    const idle = new WorkerShell<unknown>(w.factory, 'idle', (e) => e);
    pool.add(leased);
    pool.add(idle);
    pool.giveBack(idle);
    const call = leased.guard(new Promise(() => undefined));
    await pool.dispose(() => new Error('disposed'));
    await expect(call).rejects.toThrow('disposed');
    expect(w.terminated.sort()).toEqual(['idle', 'leased']);
    expect(pool.live).toBe(0);
    w.close();
  });
});
