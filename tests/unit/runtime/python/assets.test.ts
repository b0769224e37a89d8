/**
 * The browser's wasm compiler (assets.ts, compiledWasm): pyodide.asm.wasm is compiled streaming
 * from an HTTP-cache response, because that is what Chromium's compiled-code cache keys on (bytes
 * compiled by WebAssembly.compile are compiled again on every page), with `force-cache` on a URL
 * that names Pyodide's version. Node has fetch, Response and compileStreaming: fetch stands in for
 * the host, which may send any content type. (That the code cache is then used is Chromium's
 * part: bench/python-startup.mjs shows it.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PYODIDE_VERSION, compiledWasm } from '../../../../src/runtime/python/assets.ts';

/** The smallest valid module: magic and version. */
const MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const WASM_URL = 'http://localhost/pyodide/pyodide.asm.wasm';

/** A host serving the module with `type`; returns what was requested, and how. */
function host(type: string, status = 200) {
  const requests: { url: string; cache: RequestCache | undefined }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push({ url, cache: init?.cache });
      return status === 200
        ? new Response(MODULE.slice(), {
            headers: { 'Content-Type': type, 'Content-Length': String(MODULE.length) },
          })
        : new Response('missing', { status });
    }),
  );
  return requests;
}

async function compile() {
  const bytes: [number, number][] = [];
  let compiling = 0;
  const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
  const module = await compiledWasm(
    WASM_URL,
    (loaded, total) => bytes.push([loaded, total]),
    () => compiling++,
  );
  return { module, bytes, compiling, streamed: streaming.mock.calls.length };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('compiledWasm: pyodide.asm.wasm compiled where the code cache can serve later pages', () => {
  it('compiles streaming from the HTTP cache (force-cache, the URL naming the version), with progress', async () => {
    const requests = host('application/wasm');
    const { module, bytes, compiling, streamed } = await compile();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(requests).toEqual([{ url: `${WASM_URL}?v=${PYODIDE_VERSION}`, cache: 'force-cache' }]);
    expect(streamed).toBe(1);
    expect(bytes.at(-1)).toEqual([MODULE.length, MODULE.length]);
    expect(compiling).toBe(1);
  });

  it('a host that does not say application/wasm: the bytes are compiled, nothing fails', async () => {
    host('application/octet-stream');
    const { module, bytes, compiling, streamed } = await compile();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(streamed).toBe(0);
    expect(bytes.at(-1)).toEqual([MODULE.length, MODULE.length]);
    expect(compiling).toBe(1);
  });

  it('a host error is an error, named with its URL', async () => {
    host('application/wasm', 404);
    await expect(compile()).rejects.toThrow(`GIL Lab could not load ${WASM_URL}: HTTP 404`);
  });
});
