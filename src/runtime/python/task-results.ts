/**
 * The run's tasks and their outcomes. A finished task's result is kept (in completion order) so
 * an interpreter that waits for it later still gets it; one already waiting gets it at once.
 */
import { DELIVERY } from './mailbox.ts';
import { FUTURE, type PythonMemory } from './memory.ts';
import { deliver } from './lane-outbox.ts';
import type { Lane, Task } from './session-types.ts';

export class TaskResults {
  readonly tasks = new Map<number, Task>();
  readonly #results = new Map<number, { status: number; payload: Uint8Array; seq: number }>();
  readonly #memory: PythonMemory;
  readonly #lanes: readonly Lane[];
  #completions = 0;
  #settled: (() => void)[] = [];

  constructor(memory: PythonMemory, lanes: readonly Lane[]) {
    this.#memory = memory;
    this.#lanes = lanes;
  }

  /** Records a task's outcome (the first one wins) and hands it to a lane waiting for it. */
  complete(fid: number, status: number, payload: Uint8Array): void {
    if (this.#results.has(fid)) return;
    const state = status === DELIVERY.cancelled ? FUTURE.cancelled : FUTURE.finished;
    Atomics.store(this.#memory.futures, fid, state);
    this.#results.set(fid, { status, payload, seq: ++this.#completions });
    const task = this.tasks.get(fid);
    if (task) task.done = true;
    for (const lane of this.#lanes) {
      if (lane.await?.fids.includes(fid)) {
        lane.await = null;
        deliver(lane, { fid, status, payload });
      }
    }
    this.wake();
  }

  /** A lane waits for any of `fids`: the earliest finished one now, or the next to finish. */
  await(lane: Lane, token: number, fids: number[]): void {
    let best: { fid: number; seq: number } | null = null;
    for (const fid of fids) {
      const r = this.#results.get(fid);
      if (r && (best === null || r.seq < best.seq)) best = { fid, seq: r.seq };
    }
    if (best === null) {
      lane.await = { token, fids };
      return;
    }
    const r = this.#results.get(best.fid)!;
    deliver(lane, { fid: best.fid, status: r.status, payload: r.payload });
  }

  /** Cancels a task that has not started yet (Stop). */
  cancelQueued(fid: number): void {
    const f = this.#memory.futures;
    if (Atomics.compareExchange(f, fid, FUTURE.pending, FUTURE.cancelled) === FUTURE.pending)
      this.complete(fid, DELIVERY.cancelled, new Uint8Array());
  }

  /** Resolves at the next completion (or wake()). */
  changed(): Promise<void> {
    return new Promise<void>((r) => this.#settled.push(r));
  }

  wake(): void {
    for (const s of this.#settled.splice(0)) s();
  }
}
