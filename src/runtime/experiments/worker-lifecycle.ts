/**
 * Getting a run's workers and giving them back. Process pools spawn fresh workers (all or none);
 * at the end every worker is finished for its report, then returned warm to the pool (threads) or
 * terminated (processes, and any worker still busy or broken).
 */
import type { WorkerPool, WorkerSlot } from './pool.ts';
import type { ThreadReport } from './thread.api.ts';

/** How long cancelled workers get to return to a clean state before they are terminated, ms. */
const GRACE_MS = 1500;

/** Spawns `n` process workers; if any fails to start, terminates the others and rethrows. */
export async function spawnProcesses(
  pool: WorkerPool,
  n: number,
  now: () => number,
): Promise<WorkerSlot[]> {
  const all = await Promise.allSettled(Array.from({ length: n }, () => pool.spawn('process', now)));
  const ok = all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = all.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((s) => pool.discard(s)));
    throw failed.reason;
  }
  return ok;
}

/** Lets in-flight calls settle (terminating stragglers), then finishes and frees every worker. */
export async function releaseWorkers(
  pool: WorkerPool,
  slots: readonly WorkerSlot[],
  inflight: ReadonlyMap<WorkerSlot, Promise<void>>,
  procs: boolean,
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
      return procs ? pool.discard(slot) : pool.giveBack(slot);
    }),
  );
  return reports;
}
