import type { StorageLike } from '../../../src/components/progress/progress-store.ts';

/** An in-memory Storage for tests; `failWrites` / `failReads` make it behave like a refusing browser. */
export class MemoryStorage implements StorageLike {
  readonly values = new Map<string, string>();
  failWrites = false;
  failReads = false;

  getItem(key: string): string | null {
    if (this.failReads) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.values.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    this.values.set(key, value);
  }

  removeItem(key: string): void {
    if (this.failWrites) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    this.values.delete(key);
  }
}
