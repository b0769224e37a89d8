/** A concurrent.futures.Future for one submitted task. */
export class Future<T> {
  /** Submission order within its executor. */
  readonly index: number;
  readonly #promise: Promise<T>;
  #resolve!: (v: T) => void;
  #reject!: (e: unknown) => void;
  #state: 'pending' | 'running' | 'finished' | 'cancelled' = 'pending';
  #error: unknown = null;

  constructor(index: number) {
    this.index = index;
    this.#promise = new Promise<T>((res, rej) => {
      this.#resolve = res;
      this.#reject = rej;
    });
    this.#promise.catch(() => undefined);
  }

  /** The task's outcome; rejects with its error (or an AbortError / WorkerCrashedError). */
  result(): Promise<T> {
    return this.#promise;
  }

  /** Resolves with the error, or null if the task succeeded. */
  exception(): Promise<unknown> {
    return this.#promise.then(
      () => null,
      (e: unknown) => e,
    );
  }

  /** Resolves (never rejects) once the future is done, whatever the outcome. */
  settled(): Promise<this> {
    return this.#promise.then(
      () => this,
      () => this,
    );
  }

  /** True while a worker is executing it. */
  running(): boolean {
    return this.#state === 'running';
  }

  /** True once finished or cancelled. */
  done(): boolean {
    return this.#state === 'finished' || this.#state === 'cancelled';
  }

  /** True if cancelled before it ran. */
  cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** Cancels a task that has not started; like CPython, a running task cannot be cancelled. */
  cancel(reason: unknown = new DOMException('The future was cancelled', 'AbortError')): boolean {
    if (this.#state === 'running' || this.#state === 'finished') return false;
    if (this.#state === 'pending') {
      this.#state = 'cancelled';
      this.#error = reason;
      this.#reject(reason);
    }
    return true;
  }

  /** Executor side: the task was handed to a worker. */
  markRunning(): boolean {
    if (this.#state !== 'pending') return false;
    this.#state = 'running';
    return true;
  }

  /** Executor side: settle with a value. */
  fulfil(value: T): void {
    this.#state = 'finished';
    this.#resolve(value);
  }

  /** Executor side: settle with an error. */
  fail(error: unknown): void {
    if (this.#state === 'cancelled') return;
    this.#state = 'finished';
    this.#error = error;
    this.#reject(error);
  }

  /** The error once failed or cancelled, else null. */
  get error(): unknown {
    return this.#error;
  }
}
