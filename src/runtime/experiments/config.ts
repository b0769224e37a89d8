import type { z } from 'zod';
import {
  RunConfigSchema,
  SIZE_LIMITS,
  type ExecutorKind,
  type RunConfigInput,
  type StartMethod,
  type WorkloadConfig,
} from '../../schemas/run-config.ts';
import { currentExecutorName, type Mode } from '../core/mode.ts';

/** A validated run configuration with every default and derived field filled in. */
export interface RunConfig {
  mode: Mode;
  executor: ExecutorKind;
  /** Workers actually used: 1 for sequential. */
  workers: number;
  tasks: number;
  workload: WorkloadConfig;
  switchIntervalMs: number;
  startMethod: StartMethod;
  timelineCapacity: number;
}

/** Thrown for an invalid configuration; `issues` lists "field: what is allowed" lines. */
export class RunConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid run configuration: ${issues.join('; ')}`);
    this.name = 'RunConfigError';
    this.issues = issues;
  }
}

/** Events per thread when the caller does not say: ~12 MB of timeline in total, at most 64k per thread. */
function defaultCapacity(lanes: number): number {
  return Math.max(4096, Math.min(1 << 16, Math.floor((1 << 20) / lanes)));
}

/**
 * Parses `input` with `schema` or throws a RunConfigError with one "field: what is allowed (got …)"
 * line per problem. Field paths are prefixed with `field` (e.g. "workload"); `field` alone names
 * the value when the problem is the value as a whole.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  field: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new RunConfigError(
    parsed.error.issues.map((i) => {
      const path = i.path.map(String);
      const name = field === 'config' && path.length ? path : [field, ...path];
      return `${name.join('.')}: ${i.message}`;
    }),
  );
}

/** `input` with an executor spelt the earlier way (`thread-pool`, `process-pool`) spelt today's way. */
function withCurrentExecutorName(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('executor' in input)) return input;
  const executor = currentExecutorName(input.executor);
  return executor === input.executor ? input : { ...input, executor };
}

/** Validates `input`, throwing a RunConfigError that names each bad field and its allowed range. */
export function parseRunConfig(input: RunConfigInput | unknown): RunConfig {
  const c = parseOrThrow(RunConfigSchema, withCurrentExecutorName(input), 'config');
  const mode: Mode = c.mode ?? (c.executor === 'processes' ? 'processes' : 'gil');
  const executor: ExecutorKind = c.executor ?? (mode === 'processes' ? 'processes' : 'threads');
  const workers = executor === 'sequential' ? 1 : c.workers;
  return {
    mode,
    executor,
    workers,
    tasks: c.tasks ?? c.workers,
    workload: c.workload,
    switchIntervalMs: c.switchIntervalMs,
    startMethod: c.startMethod,
    timelineCapacity: c.timelineCapacity ?? defaultCapacity(workers),
  };
}

/** Unit of `size` for a workload, for labels. */
export function sizeUnit(name: WorkloadConfig['name']): string {
  return SIZE_LIMITS[name].unit;
}
