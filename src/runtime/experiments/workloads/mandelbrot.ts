import type { Workload } from './types.ts';

/** Image width in pixels. */
const WIDTH = 256;
/** Iteration cap per pixel. */
const MAX_ITER = 200;

/** Escape-time iterations for one pixel. */
function escape(cr: number, ci: number): number {
  let zr = 0;
  let zi = 0;
  let k = 0;
  while (k < MAX_ITER && zr * zr + zi * zi <= 4) {
    const t = zr * zr - zi * zi + cr;
    zi = 2 * zr * zi + ci;
    zr = t;
    k++;
  }
  return k;
}

/**
 * Renders `size` rows; task i takes rows i, i + count, … of an image `size × count` rows high, so
 * every task gets a similar mix of cheap and expensive rows. Returns the total iteration count.
 */
export const mandelbrot: Workload = {
  calibrationStart: 4,
  run(size, task, interp) {
    const height = size * task.count;
    let total = 0;
    for (let k = 0; k < size; k++) {
      const ci = -1.25 + (2.5 * (task.index + k * task.count)) / height;
      for (let x = 0; x < WIDTH; x++) {
        total += escape(-2.2 + (3.2 * x) / WIDTH, ci);
        interp.tick();
      }
    }
    return total;
  },
};
