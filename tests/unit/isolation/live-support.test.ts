/** Every "unavailable" message names its true cause, checked in the order a browser fails them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  explainRunError,
  liveUnavailable,
  type LiveEnvironment,
} from '../../../src/components/isolation/live-support.ts';

const full: LiveEnvironment = {
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  hasAtomicsWait: true,
  hasWorkers: true,
  isolationReason: undefined,
};

describe('why live runs are unavailable', () => {
  it('says nothing when everything is there', () => {
    expect(liveUnavailable(full)).toBeNull();
  });

  it('not isolated: passes on the reason coi-register.js found, and what to do', () => {
    const reason = 'service workers are blocked in this browser (SecurityError).';
    const result = liveUnavailable({
      ...full,
      crossOriginIsolated: false,
      hasSharedArrayBuffer: false,
      isolationReason: reason,
    });
    expect(result?.cause).toBe('not-isolated');
    expect(result?.message).toContain('not cross-origin isolated');
    expect(result?.message).toContain(reason);
    expect(result?.message).toMatch(/Reload the page/);
  });

  it('a deploy without coi-sw.js: says so, and does not ask the reader to reload', () => {
    // The very sentence coi-register.js says.
    const register = readFileSync(
      new URL('../../../public/coi-register.js', import.meta.url),
      'utf8',
    );
    const reason = /'(this copy of the site was deployed without coi-sw\.js[^']*)'/.exec(
      register,
    )?.[1];
    expect(reason).toBeDefined();
    const message = liveUnavailable({
      ...full,
      crossOriginIsolated: false,
      hasSharedArrayBuffer: false,
      isolationReason: reason,
    })?.message;
    expect(message).toContain(reason);
    expect(message).not.toMatch(/Reload the page|allow service workers/);
  });

  it('isolated without SharedArrayBuffer (WebKitGTK): never claims the page is not isolated', () => {
    const result = liveUnavailable({ ...full, hasSharedArrayBuffer: false });
    expect(result?.cause).toBe('no-shared-memory');
    expect(result?.message).toMatch(/^this page is cross-origin isolated, but/);
    expect(result?.message).not.toContain('not cross-origin isolated');
    expect(result?.message).toMatch(/Firefox and Safari/);
  });

  it('no Atomics.wait, then no workers', () => {
    expect(liveUnavailable({ ...full, hasAtomicsWait: false })?.cause).toBe('no-atomics-wait');
    expect(liveUnavailable({ ...full, hasWorkers: false })?.cause).toBe('no-workers');
  });

  it('recognises a refused Atomics.wait among run errors, and only that', () => {
    const chromium = new TypeError('Atomics.wait cannot be called in this context');
    const firefox = new TypeError('waiting is not allowed on this thread');
    expect(explainRunError(chromium)).toMatch(/refused Atomics\.wait/);
    expect(explainRunError(firefox)).toMatch(/refused Atomics\.wait/);
    expect(explainRunError(new Error('worker crashed'))).toBeNull();
  });
});
