import type { WorkloadName } from '../../../schemas/run-config.ts';
import { asyncio } from './asyncio.ts';
import { countdown } from './countdown.ts';
import { hash } from './hash.ts';
import { io } from './io.ts';
import { mandelbrot } from './mandelbrot.ts';
import { native } from './native.ts';
import { primes } from './primes.ts';
import { race } from './race.ts';
import type { Workload } from './types.ts';

/** Every workload by name. */
export const WORKLOAD_IMPLS: Record<WorkloadName, Workload> = {
  countdown,
  primes,
  hash,
  mandelbrot,
  io,
  native,
  race,
  asyncio,
};

/** Workloads that mostly wait: their size is a duration, so they need neither calibration nor JIT warm-up. */
export function waitsOnly(name: WorkloadName): boolean {
  return name === 'io' || name === 'asyncio';
}

/** Workloads whose tasks read an input byte buffer. */
export function needsData(name: WorkloadName): boolean {
  return name === 'hash' || name === 'native';
}
