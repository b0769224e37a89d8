/**
 * Page side of the eval-loop warm-up (warm-up.ts is the program it runs): when is the
 * interpreter's optimised code in, for good? Pure, so the policy is tested on synthetic series.
 *
 * The witness is a short probe's time, each probe in a fresh eval-loop call (a new thread). It
 * falls by the baseline/optimised factor (2–5x in Chromium 156 here) once the optimised code is
 * in, and rises again when the engine throws that code away (a deopt: a call target its
 * speculation had not seen) until the next optimised code is compiled. A busy machine only ever
 * adds time to a probe (another process took the core), so the minimum of a few consecutive
 * probes is what the code costs.
 *
 * Settled: the minimum of each RUN consecutive probes has stayed at most 1/FALL of the first
 * probes' for the last PLATEAU_MS of probing (long enough for the optimised versions still being
 * compiled when the engine's deopt limit was reached to arrive and be thrown away); or, with no such fall, the best probe has not
 * improved for NO_FALL_MS (the code was optimised from the start: another engine, or the code
 * came optimised from the engine's cache). Either way at most CAP_MS of probing.
 */

/** The fall that says the optimised code is in. */
export const FALL = 2;
/** Consecutive probes whose minimum is one reading (a preempted probe alone changes nothing). */
export const RUN = 3;
/** How long the readings must stay fast, ms of probing. */
export const PLATEAU_MS = 2500;
/** Without a fall, how long the best must hold before it counts as settled, ms of probing. */
export const NO_FALL_MS = 3000;
/** Improvement smaller than this share counts as none (NO_FALL_MS). */
const STILL = 0.1;
/** The most probing ever done, ms. */
export const CAP_MS = 15_000;

export class EvalLoopWarmth {
  /** Probing time so far, ms (the probes and what ran between them). */
  #spentMs = 0;
  #probes: number[] = [];
  #first = Infinity;
  #best = Infinity;
  /** Probing time when the best last improved by more than STILL. */
  #bestAt = 0;
  /** Since when (probing time) the readings have been fast; null: they are not. */
  #fastSince: number | null = null;
  #settled = false;
  #gaveUp = false;

  /** True once the optimised code is in, or warming up is over anyway (see `reason`). */
  get done(): boolean {
    return this.#settled || this.#gaveUp || this.#spentMs >= CAP_MS;
  }

  /** Why it is done (null: not done). */
  get reason(): 'settled' | 'cap' | 'failed' | null {
    if (this.#settled) return 'settled';
    if (this.#gaveUp) return 'failed';
    return this.#spentMs >= CAP_MS ? 'cap' : null;
  }

  /** The fall from the first probes to the latest reading (1: none). */
  get fall(): number {
    const n = this.#probes.length;
    if (n < RUN * 2) return 1;
    return this.#first / Math.min(...this.#probes.slice(n - RUN));
  }

  get spentMs(): number {
    return this.#spentMs;
  }

  /** Probes (ms each) measured in `ms` of probing in all. */
  add(probesMs: readonly number[], ms: number): void {
    if (this.done) return;
    const probes = probesMs.filter((p) => p > 0);
    if (probes.length === 0) {
      this.#spentMs += ms;
      return;
    }
    const per = ms / probes.length;
    for (const p of probes) {
      this.#spentMs += per;
      this.#probes.push(p);
      const n = this.#probes.length;
      if (n <= RUN) {
        this.#first = Math.min(this.#first, p);
        this.#best = Math.min(this.#best, p);
        this.#bestAt = this.#spentMs;
        continue;
      }
      if (p < this.#best * (1 - STILL)) this.#bestAt = this.#spentMs;
      this.#best = Math.min(this.#best, p);
      const reading = Math.min(...this.#probes.slice(n - RUN));
      if (reading <= this.#first / FALL) this.#fastSince ??= this.#spentMs;
      else this.#fastSince = null;
      const fastFor = this.#fastSince === null ? 0 : this.#spentMs - this.#fastSince;
      const fell = this.#best <= this.#first / FALL;
      if (fastFor >= PLATEAU_MS || (!fell && this.#spentMs - this.#bestAt >= NO_FALL_MS)) {
        this.#settled = true;
        return;
      }
    }
  }

  /** The interpreter could not be warmed (it died, say): runs go on without waiting. */
  giveUp(): void {
    this.#gaveUp = true;
  }
}

/**
 * Whether a program reads a clock (time.perf_counter, time.time, timeit …) and so compares parts
 * of itself run at different times: such a program waits for the warm-up. A false positive only
 * waits (at most once a page); a false negative is a program timing its first seconds.
 */
export function timesItself(source: string): boolean {
  return /\b(?:perf_counter|process_time|thread_time|monotonic|time_ns|timeit|datetime)\b|\btime\s*\.\s*time\b|\bfrom\s+time\s+import\b/.test(
    source,
  );
}
