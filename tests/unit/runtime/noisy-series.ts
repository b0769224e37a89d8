/**
 * Synthetic timings of a run and its plain loop on machines of known noise, for the statistics
 * and verdict tests: reproducible (seeded), with the one-sided, bursty slow-downs another busy
 * process causes.
 */

import { prng as seeded } from './helpers.ts';

/** A seeded uniform generator in [0, 1) (mulberry32): the one in helpers.ts. */
export { seeded };

/** How a machine disturbs a measurement. */
export interface Machine {
  /** Spread of every measurement (±, relative): 0.03 on a quiet machine. */
  jitter: number;
  /** Chance that a measurement shares the cores with a hog. */
  hogChance: number;
  /** Up to how much longer a measurement takes when it does (1 = up to twice as long). */
  hogSlowdown: number;
}

export const QUIET: Machine = { jitter: 0.03, hogChance: 0, hogSlowdown: 0 };
export const BUSY: Machine = { jitter: 0.08, hogChance: 0.5, hogSlowdown: 1.5 };

/** One measured duration of work that takes `ms` undisturbed. */
export function disturbed(ms: number, machine: Machine, random: () => number): number {
  let t = ms * (1 + machine.jitter * (2 * random() - 1));
  if (random() < machine.hogChance) t *= 1 + machine.hogSlowdown * random();
  return t;
}

/**
 * Runners for `measurePairs` on a simulated machine: the plain loop takes `baselineMs`, the run
 * `baselineMs / trueSpeedup`; a fake clock advances by what each measurement took.
 */
export function simulated(
  trueSpeedup: number,
  machine: Machine,
  seed: number,
  baselineMs = 600,
): {
  runners: {
    run(i: number): Promise<{ wallMs: number; value: number }>;
    baseline(i: number): Promise<number>;
  };
  now: () => number;
  order: string[];
} {
  const random = seeded(seed);
  let clock = 0;
  const order: string[] = [];
  return {
    order,
    now: () => clock,
    runners: {
      run: (i) => {
        const wallMs = disturbed(baselineMs / trueSpeedup, machine, random);
        clock += wallMs;
        order.push(`run${i}`);
        return Promise.resolve({ wallMs, value: i });
      },
      baseline: (i) => {
        const wallMs = disturbed(baselineMs, machine, random);
        clock += wallMs;
        order.push(`loop${i}`);
        return Promise.resolve(wallMs);
      },
    },
  };
}
