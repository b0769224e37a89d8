/**
 * The eval-loop warm-up of the one-interpreter engine (warm-up.ts, warmth.ts), in Node's
 * worker_threads: behaviour, not speed. A program that reads a clock starts once the warm-up is
 * done (or after its bounded wait), in a clean interpreter, with only its own output.
 */
import { expect, it } from 'vitest';
import { probesIn, warmUpProgram } from '../../../../../src/runtime/python/green/warm-up.ts';
import { pythonSuite } from '../suite.ts';

const { run } = pythonSuite({ gilEngine: 'auto', prewarm: 1, warmUp: true });

it('a program that reads a clock waits for the warm-up, then runs alone and clean', async () => {
  const progress: string[] = [];
  const { result, stdout, stderr } = await run(
    'import time\nt = time.perf_counter()\nprint("mine", "warm_up" in globals(), "probe" in dir())',
    { onProgress: (p) => progress.push(p.message) },
  );
  expect(stderr).toBe('');
  expect(result.ok).toBe(true);
  expect(stdout).toBe('mine False False\n');
  // It waited (the warm-up had not finished: it only starts once the interpreter is up), and
  // said why.
  expect(progress.some((m) => m.startsWith('Warming Python up'))).toBe(true);
}, 120_000);

it('the warm-up program prints its probes', async () => {
  const { result, stdout } = await run(warmUpProgram(0.05));
  expect(result.ok).toBe(true);
  const probes = probesIn(stdout);
  expect(probes.length).toBeGreaterThan(0);
  expect(probes.every((p) => p > 0)).toBe(true);
}, 60_000);
