/**
 * What physics allows a run's speed-up over a plain loop of the same work to be: the ceiling a
 * verdict is held to, so noise can never make a result contradict the lesson (two threads running
 * Python code on one GIL take turns: they are never faster than the plain loop).
 */
import type { RunConfigInput } from '../../schemas/run-config.ts';
import type { PairedSummary } from '../core/paired-stats.ts';
import { speedVerdict, type SpeedLimits } from '../core/speed-verdict.ts';

/** Workloads whose time is spent running Python code (holding the GIL when there is one). */
const PYTHON_CODE = new Set(['countdown', 'primes', 'mandelbrot', 'hash', 'race']);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The highest speed-up `config` can physically reach on `cores` cores, and why. */
export function speedLimits(config: RunConfigInput, cores: number): SpeedLimits {
  const workers = config.executor === 'sequential' ? 1 : (config.workers ?? 1);
  const tasks = config.tasks ?? workers;
  const parallel = Math.max(1, Math.min(workers, tasks));
  const cpus = Math.max(1, Math.floor(cores));
  if (parallel === 1) return { ceiling: 1, reason: 'one worker does the work alone' };
  const name = config.workload.name;
  if (name === 'io' || name === 'asyncio') {
    return { ceiling: parallel, reason: `${plural(parallel, 'wait')} can overlap at most` };
  }
  const kind = config.executor === 'processes' ? 'process' : 'thread';
  if (config.mode === 'gil' && PYTHON_CODE.has(name)) {
    return { ceiling: 1, reason: 'threads running Python code on one GIL take turns' };
  }
  if (parallel <= cpus) {
    return { ceiling: parallel, reason: `${plural(parallel, kind)} can compute at once at most` };
  }
  return {
    ceiling: cpus,
    reason: `${plural(parallel, kind)} share ${plural(cpus, 'core')}: at most ${cpus} compute at once`,
  };
}

/**
 * Whether pairs measured so far settle the comparison: the verdict is decided, and either the
 * median's interval is at least 90 % sure or the pairs agree closely (spread ≤ 10 %).
 */
export function comparisonSettled(summary: PairedSummary, limits: SpeedLimits): boolean {
  const verdict = speedVerdict(summary, limits);
  if (verdict.speed === null) return false;
  return summary.confidence >= 0.9 || summary.relativeSpread <= 0.1;
}
