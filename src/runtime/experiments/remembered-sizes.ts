/**
 * Work sizes found by calibration, remembered per device between visits, so a reader's first Run
 * on a later page (or visit) does not wait for sizing again. A size only makes a task last about
 * its target on this device: the plain loop beside a run always does the same work, so a slightly
 * stale size never skews a speed-up. Keyed by the browser and core count (a new browser version
 * or another machine sizes afresh) and forgotten after a few days.
 */

/** The part of Web Storage used (tests pass a Map-backed one). */
export interface SizeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** How long a remembered size is trusted, ms. */
export const REMEMBER_MS = 3 * 24 * 3600 * 1000;
const PREFIX = 'gil-lab:work-size:v1:';

/** The page's localStorage, or null where it is unavailable or refused (private modes, policies). */
export function pageStorage(): SizeStorage | null {
  try {
    const storage = globalThis.localStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}

/** The key for one workload and target on this device. */
export function sizeKey(
  workload: unknown,
  targetMs: number,
  device: { userAgent: string; cores: number },
): string {
  return `${PREFIX}${JSON.stringify([device.userAgent, device.cores, workload, targetMs])}`;
}

/** A remembered size that is still fresh, or null. Never throws. */
export function recallSize(
  storage: SizeStorage | null,
  key: string,
  now = Date.now(),
): number | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const { size, at } = JSON.parse(raw) as { size?: unknown; at?: unknown };
    if (typeof size !== 'number' || !(size > 0) || !Number.isFinite(size)) return null;
    if (typeof at !== 'number' || !(now - at < REMEMBER_MS) || at > now) return null;
    return size;
  } catch {
    return null;
  }
}

/** Remembers a size (silently does nothing where storage is full or refused). */
export function rememberSize(
  storage: SizeStorage | null,
  key: string,
  size: number,
  now = Date.now(),
): void {
  try {
    storage?.setItem(key, JSON.stringify({ size, at: now }));
  } catch {
    // Full or refused storage: the next page sizes again, nothing worse.
  }
}
