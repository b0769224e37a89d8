import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, resolvePreset } from '../../../src/components/experiment/presets.ts';

describe('experiment presets', () => {
  it('all validate against the schema', () => {
    for (const name of PRESET_NAMES) expect(resolvePreset({ preset: name }).name).toBe(name);
  });

  it('apply per-embed overrides', () => {
    const preset = resolvePreset({ preset: 'countdown-gil', settings: { workers: 4 } });
    expect(preset.settings.workers).toBe(4);
    expect(preset.settings.workload).toBe('cpu');
  });

  it('reject an unknown preset, listing the known ones', () => {
    expect(() => resolvePreset({ preset: 'nope' })).toThrow(/unknown preset "nope".*countdown-gil/);
  });

  it('accept foldPython as a flag, and only as a flag', () => {
    expect(resolvePreset({ preset: 'countdown-gil', foldPython: true }).name).toBe('countdown-gil');
    expect(() =>
      resolvePreset({ preset: 'countdown-gil', foldPython: 'yes' } as unknown as Parameters<
        typeof resolvePreset
      >[0]),
    ).toThrow(/foldPython/);
  });

  it('reject an out-of-range override, naming the field', () => {
    expect(() => resolvePreset({ preset: 'countdown-gil', settings: { workers: 99 } })).toThrow(
      /settings\.workers/,
    );
  });
});
