import { describe, expect, it } from 'vitest';
import {
  REMEMBER_MS,
  recallSize,
  rememberSize,
  sizeKey,
  type SizeStorage,
} from '../../../../src/runtime/experiments/remembered-sizes.ts';

function memory(): SizeStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
  };
}

const device = { userAgent: 'Chromium/150', cores: 2 };
const key = sizeKey({ name: 'countdown' }, 300, device);

describe('work sizes remembered per device', () => {
  it('recalls a size for the same workload, target and device while it is fresh', () => {
    const store = memory();
    rememberSize(store, key, 12_345, 1000);
    expect(recallSize(store, key, 1000 + REMEMBER_MS - 1)).toBe(12_345);
    expect(recallSize(store, key, 1000 + REMEMBER_MS)).toBeNull();
    expect(
      recallSize(store, sizeKey({ name: 'countdown' }, 300, { ...device, cores: 8 })),
    ).toBeNull();
    expect(recallSize(store, sizeKey({ name: 'countdown' }, 100, device))).toBeNull();
  });

  it('ignores damaged entries and storage that throws, and never throws itself', () => {
    const store = memory();
    for (const bad of ['{', '{"size":-1,"at":1}', '{"size":"9","at":1}', '{"size":5}', 'null']) {
      store.map.set(key, bad);
      expect(recallSize(store, key, 2)).toBeNull();
    }
    const refusing: SizeStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(recallSize(refusing, key)).toBeNull();
    expect(() => rememberSize(refusing, key, 5)).not.toThrow();
    expect(recallSize(null, key)).toBeNull();
  });
});
