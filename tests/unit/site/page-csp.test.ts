/**
 * Each built page gets a Content-Security-Policy <meta> that allows exactly its own inline scripts
 * (by hash), first in <head> after <meta charset>, and sends no request off the origin.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes, withPagePolicy } from '../../../integrations/csp.mjs';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

const PAGE =
  '<!DOCTYPE html><html><head><script src="/coi-register.js"></script>' +
  '<script>window.a = 1;</script><meta charset="utf-8"/>' +
  '<script type="module">import("./x.js")</script></head><body>' +
  '<script type="application/json">{"b":2}</script></body></html>';

describe('the page policy', () => {
  it('hashes every inline script, none with src', () => {
    expect(inlineScriptHashes(PAGE)).toEqual([
      sha('window.a = 1;'),
      sha('import("./x.js")'),
      sha('{"b":2}'),
    ]);
  });

  it('goes first in <head>, after <meta charset>, once however often it is applied', () => {
    const out = withPagePolicy(withPagePolicy(PAGE));
    expect(
      out.startsWith('<!DOCTYPE html><html><head><meta charset="utf-8"/><meta http-equiv'),
    ).toBe(true);
    expect(out.match(/content-security-policy/g)).toHaveLength(1);
    expect(out.match(/<meta charset/g)).toHaveLength(1);
    const policy = /content="([^"]*)"/.exec(out)![1]!;
    expect(policy).toContain(`script-src 'self' 'wasm-unsafe-eval' ${sha('window.a = 1;')}`);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain(" 'unsafe-eval'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });
});
