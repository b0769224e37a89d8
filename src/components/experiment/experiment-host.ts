/** The <gil-experiment> element as its lazy halves see it (see ../shared/widget-host.ts). */
import type { RunResult } from '../../runtime/index.ts';
import type { ClientPresetSchema, ExperimentSettings } from '../../schemas/experiment.ts';
import type { z } from '../../schemas/zod.ts';
import type { WidgetHost } from '../shared/widget-host.ts';

/** The states of the test contract (data-state). */
export type ExperimentState = 'idle' | 'running' | 'done' | 'cancelled' | 'error' | 'unsupported';

/** What the server rendered into data-preset (checked with ClientPresetSchema before use). */
export type ClientPreset = z.output<typeof ClientPresetSchema>;

/** An experiment widget: its preset, the reader's current settings and its last run. */
export interface ExperimentHost extends WidgetHost {
  readonly preset: ClientPreset;
  /** The reader's settings, as the controls show them (validated by the lazy half). */
  settings: ExperimentSettings;
  /** The last finished run (scripts/record-timelines.mjs saves it for pages that cannot run). */
  lastResult: RunResult | null;
  /** Makes `settings` the reader's and puts them in the controls (undoing a refused change). */
  showSettings(settings: ExperimentSettings): void;
  /** Sets data-state (the test contract). */
  setState(state: ExperimentState): void;
}
