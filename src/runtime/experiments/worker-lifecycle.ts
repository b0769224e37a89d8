/**
 * Getting a run's workers and giving them back. Process pools lease process workers (all or none);
 * at the end every worker is finished for its report, then returned warm to its pool (threads and
 * processes apart), or terminated when still busy or broken.
 */
import type { WorkerPool, WorkerSlot } from './pool.ts';
import type { ThreadReport } from './thread.api.ts';

/** How long cancelled workers get to return to a clean state before they are terminated, ms. */
const GRACE_MS = 1500;

/** `n` process workers (warm idle ones first); if any fails to start, terminates the others and rethrows. */
export function spawnProcesses(
  pool: WorkerPool,
  n: number,
  now: () => number,
): Promise<WorkerSlot[]> {
  return pool.leaseProcesses(n, now);
}

/**
 * Lets in-flight calls settle (terminating stragglers), then finishes and frees every worker.
 * `procs`: the run's workers were processes; `failed`: the run was stopped or broke, and then its
 * processes end with it (as a stopped CPython pool's do) instead of staying warm.
 */
export async function releaseWorkers(
  pool: WorkerPool,
  slots: readonly WorkerSlot[],
  inflight: ReadonlyMap<WorkerSlot, Promise<void>>,
  procs: boolean,
  failed = false,
): Promise<ThreadReport[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((r) => (timer = setTimeout(r, GRACE_MS)));
  await Promise.race([Promise.all(inflight.values()), grace]);
  clearTimeout(timer);
  const reports: ThreadReport[] = [];
  await Promise.all(
    slots.map(async (slot) => {
      if (inflight.has(slot) || !slot.alive) return pool.discard(slot);
      try {
        reports.push(await slot.guard(slot.api.finish()));
      } catch {
        return pool.discard(slot);
      }
      if (!procs) return pool.giveBack(slot);
      return failed ? pool.discard(slot) : pool.giveBackProcess(slot);
    }),
  );
  return reports;
}
