/** How every widget writes a number for the reader: one place, so the same figure reads the same. */

/** A duration: "8.3 ms", "412 ms", "1.25 s". */
export const ms = (v: number): string =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;

/** A share (0…1) as a percentage: "4.2 %", "63 %". */
export const pct = (v: number): string => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;

/** A ratio such as a speed-up: "1.87×". */
export const times = (v: number): string => `${v.toFixed(2)}×`;
