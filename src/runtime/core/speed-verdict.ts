/**
 * The verdict policy for a measured speed-up: which class it is in ("faster", "about the same",
 * "slower"), only when the evidence is clearly on one side of a threshold, and never against the
 * physics the lesson teaches. A busy machine is detected and said, not graded.
 */
import type { PairedSummary } from './paired-stats.ts';

/** Speed-ups within this factor of 1 count as "about the same". */
export const SAME_SPEED_FACTOR = 1.2;
/** A relative spread (quartile range ÷ median) above this means the machine is busy. */
export const BUSY_SPREAD = 0.25;
/**
 * How far a median may sit above the physical ceiling before it is not believed at all (below it,
 * the figure shown is the ceiling: a noisy pair or two, not a faster machine).
 */
export const CEILING_TOLERANCE = 1.1;

/** Fewer pairs than this are never graded: a median needs a few (the machine was too slow). */
export const MIN_GRADED_PAIRS = 3;

/** What a speed-up can be. */
export type SpeedClass = 'faster' | 'about the same' | 'slower';

/** What the physics allows a run to reach. */
export interface SpeedLimits {
  /**
   * The highest speed-up the run can physically have: 1 for Python code on threads sharing one
   * GIL (they take turns), min(workers, cores) for work that can compute in parallel, the worker
   * count for waiting (I/O needs no core).
   */
  ceiling: number;
  /** Why: said to the reader when a figure is held to it ("2 workers on 2 cores"). */
  reason: string;
}

/** The verdict on one paired measurement. */
export interface SpeedVerdict {
  /** The class, or null when it is too close to call (see `busy`). */
  speed: SpeedClass | null;
  /** The machine was too noisy for this comparison (spread too wide or an impossible figure). */
  busy: boolean;
  /**
   * The pairs disagree (spread above BUSY_SPREAD, or too few pairs), so the figure itself is too
   * close to call, even when the class is decided (a tiny task ran 0.25-0.60x on a busy machine:
   * clearly slower, but no single figure to stand behind). True whenever `busy` is.
   */
  noisy: boolean;
  /**
   * The speed-up to show as the result: the median, held to the ceiling when noise put it a
   * little above; null when the measurement is not believable (well above what physics allows).
   */
  shown: number | null;
  /** True when `shown` was held down to the ceiling. */
  capped: boolean;
  /** The classes the interval still allows (one when decided). */
  possible: SpeedClass[];
}

/** The class a single speed-up falls in. */
export function speedClass(speedup: number): SpeedClass {
  if (speedup > SAME_SPEED_FACTOR) return 'faster';
  if (speedup < 1 / SAME_SPEED_FACTOR) return 'slower';
  return 'about the same';
}

/** Classes overlapping [low, high], never above what the ceiling allows. */
function classesBetween(low: number, high: number, ceiling: number): SpeedClass[] {
  const top = Math.min(high, ceiling);
  const out: SpeedClass[] = [];
  if (low < 1 / SAME_SPEED_FACTOR) out.push('slower');
  if (low <= SAME_SPEED_FACTOR && top >= 1 / SAME_SPEED_FACTOR) out.push('about the same');
  if (top > SAME_SPEED_FACTOR) out.push('faster');
  return out;
}

/**
 * Grades a paired summary. Decided only when the median's interval lies within one class; a class
 * the physics rules out is never given (an interval wholly above the ceiling is noise: busy).
 */
export function speedVerdict(summary: PairedSummary, limits: SpeedLimits): SpeedVerdict {
  const { ceiling } = limits;
  if (summary.low > ceiling * CEILING_TOLERANCE) {
    return { speed: null, busy: true, noisy: true, shown: null, capped: false, possible: [] };
  }
  const capped = summary.median > ceiling;
  const shown = capped ? ceiling : summary.median;
  const possible = classesBetween(summary.low, summary.high, ceiling);
  const tooFew = summary.pairs < MIN_GRADED_PAIRS;
  const noisy = tooFew || summary.relativeSpread > BUSY_SPREAD;
  const speed = possible.length === 1 && !tooFew ? possible[0]! : null;
  return { speed, busy: noisy && speed === null, noisy, shown, capped, possible };
}

/** How a speed prediction compares with a verdict. */
export type PredictionGrade = 'right' | 'wrong' | 'undecided';

/** Grades "faster" / "about the same" / "slower" against a verdict; undecided unless decided. */
export function gradeSpeedPrediction(
  predicted: SpeedClass,
  verdict: SpeedVerdict,
): PredictionGrade {
  if (verdict.speed === null) return 'undecided';
  return verdict.speed === predicted ? 'right' : 'wrong';
}
