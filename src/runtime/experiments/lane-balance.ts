/**
 * Lanes that did the same work should compute for about as long. When one computes far longer
 * (a process 3× slower than its twin), the machine's other programs took its core away: the
 * run's figures carry that, and the page says so instead of leaving a mystery on the timeline.
 */
import type { RunResult } from './result.ts';

/** The slowest and fastest of lanes with equal work, when they differ by more than the factor. */
export interface LaneImbalance {
  slowest: string;
  fastest: string;
  /** Time computing (running Python code or in C code), ms. */
  slowestMs: number;
  fastestMs: number;
  /** slowestMs ÷ fastestMs. */
  ratio: number;
}

/** Lanes must compute at least this long for a comparison of their times to mean anything, ms. */
const MIN_BUSY_MS = 20;

/**
 * The imbalance between lanes that ran the same number of equal tasks, or null when they were
 * within `factor` of each other (or did unequal or no computing work).
 */
export function laneImbalance(result: RunResult, factor = 1.5): LaneImbalance | null {
  const lanes = result.threads;
  if (lanes.length < 2) return null;
  const tasks = lanes[0]!.tasks;
  if (tasks === 0 || lanes.some((t) => t.tasks !== tasks)) return null;
  let slow = lanes[0]!;
  let fast = lanes[0]!;
  for (const lane of lanes) {
    if (lane.busyMs > slow.busyMs) slow = lane;
    if (lane.busyMs < fast.busyMs) fast = lane;
  }
  if (fast.busyMs < MIN_BUSY_MS) return null;
  const ratio = slow.busyMs / fast.busyMs;
  if (ratio <= factor) return null;
  return {
    slowest: slow.label,
    fastest: fast.label,
    slowestMs: slow.busyMs,
    fastestMs: fast.busyMs,
    ratio,
  };
}
