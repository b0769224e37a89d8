/**
 * Starting interpreters from python-snapshot.bin (a booted interpreter's memory, made by
 * scripts/python-snapshot.mjs at build time): a missing or stale snapshot falls back to a normal
 * boot; an interpreter started from one equals a normally booted one and draws its own random
 * numbers; the one-interpreter engine (JSPI stack switching, run_sync) runs threads in it and
 * every run still starts clean. Node (worker_threads for the engine), the same loader the
 * browser's workers use.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { importSource, loadInterpreter } from '../../../../src/runtime/python/pyodide-loader.ts';
import { RESET_SOURCE } from '../../../../src/runtime/python/interpreter-reset.ts';
import { NODE_SNAPSHOT, PYODIDE_DIR } from '../../../../src/runtime/node/python-runner.ts';
import { ensureSnapshot } from '../../../../scripts/python-snapshot.mjs';
import { pythonSuite } from './suite.ts';

/** The build's snapshot (the tests' global set-up makes it; again here if it could not). */
const SNAPSHOT = NODE_SNAPSHOT;
const scratch = mkdtempSync(join(tmpdir(), 'gil-lab-snapshot-'));
let wasm: WebAssembly.Module;

beforeAll(async () => {
  ensureSnapshot(SNAPSHOT);
  wasm = await WebAssembly.compile(readFileSync(join(PYODIDE_DIR, 'pyodide.asm.wasm')));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What a program could notice of how its interpreter booted. */
const STATE = `
import sys, os, json
json.dumps({
    "modules": sorted(sys.modules),
    "environ": {k: v for k, v in os.environ.items() if k != "_"},
    "path": sys.path,
    "argv": sys.argv,
    "version": sys.version,
    "runtime": sys._emscripten_info.runtime,
    "cwd": os.getcwd(),
    "home": sorted(os.listdir("/home/pyodide")),
    "recursion": sys.getrecursionlimit(),
    "main": sorted(k for k in vars(sys.modules["__main__"]) if not k.startswith("__")),
})`;

const state = (py: PyodideAPI): unknown => JSON.parse(py.runPython(STATE) as string);

describe('loading from the snapshot', () => {
  let normal: PyodideAPI;

  it('falls back to a normal boot when the snapshot is missing', async () => {
    const { py, snapshot } = await loadInterpreter(PYODIDE_DIR, wasm, join(scratch, 'none.bin'));
    expect(snapshot).toMatch(/^fallback: .*ENOENT/);
    expect(py.runPython('print("booted"); 6 * 7')).toBe(42);
    normal = py;
  }, 120_000);

  it("falls back to a normal boot when the snapshot is another Pyodide build's", async () => {
    const stale = new Uint8Array(readFileSync(SNAPSHOT));
    // python-snapshot.bin is gzipped; write it plain with one byte of the build id changed.
    const plain = new Uint8Array(
      await new Response(
        new Blob([stale]).stream().pipeThrough(new DecompressionStream('gzip')),
      ).arrayBuffer(),
    );
    plain[16] = plain[16]! ^ 0xff;
    const file = join(scratch, 'stale.bin');
    writeFileSync(file, plain);
    const { py, snapshot } = await loadInterpreter(PYODIDE_DIR, wasm, file);
    expect(snapshot).toMatch(/^fallback: Snapshot build id mismatch/);
    expect(py.runPython('6 * 7')).toBe(42);
  }, 120_000);

  it('streams a snapshot fetched in chunks that split its pages, each freed once copied', async () => {
    // Sent decoded (as a host that gunzips for the browser would) in chunks of about 7 kB, so
    // pages straddle chunks (Node's gunzip hands the loader one chunk, and the gzipped file would
    // be inflated in 16 kB chunks, 4 pages each). The loader frees each chunk once read to its
    // end: a page read from two chunks must be whole, and the interpreter equal.
    const bytes = gunzipSync(readFileSync(SNAPSHOT));
    const server = createServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length) return void response.end();
        const chunk = bytes.subarray(at, (at += 7 * 1024));
        if (response.write(chunk)) setImmediate(next);
        else response.once('drain', next);
      };
      next();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const { py, snapshot } = await loadInterpreter(
        PYODIDE_DIR,
        wasm,
        `http://127.0.0.1:${port}/python-snapshot.bin`,
      );
      expect(snapshot).toBe('snapshot');
      expect(state(py)).toEqual(state(normal));
    } finally {
      server.close();
    }
  }, 120_000);

  it('starts an interpreter equal to a normal boot, with its own random numbers', async () => {
    const a = await loadInterpreter(PYODIDE_DIR, wasm, SNAPSHOT);
    const b = await loadInterpreter(PYODIDE_DIR, wasm, SNAPSHOT);
    expect(a.snapshot).toBe('snapshot');
    expect(b.snapshot).toBe('snapshot');
    expect(state(a.py)).toEqual(state(normal));
    expect(a.py.runPython('import sys; sys._emscripten_info.runtime')).toBe(
      globalThis.navigator?.userAgent ?? 'UNKNOWN',
    );
    // Seeded at build time, `random` would draw the same numbers in every snapshot.
    const draw = 'import random; [random.random() for _ in range(3)]';
    expect(a.py.runPython(draw).toJs()).not.toEqual(b.py.runPython(draw).toJs());
  }, 120_000);
});

describe("GIL Lab's Python compiled into the snapshot", () => {
  it('imports green_thread.py and the reset module from the snapshot when their text is the same, and compiles other text', async () => {
    const { py, snapshot } = await loadInterpreter(PYODIDE_DIR, wasm, SNAPSHOT);
    expect(snapshot).toBe('snapshot');
    const thread = readFileSync(
      new URL('../../../../src/runtime/python/green/green_thread.py', import.meta.url),
      'utf8',
    );
    const kept = (path: string, text: string): boolean =>
      py.runPython(
        `import sys; k = sys.modules["_gil_lab_code"].code.get(${JSON.stringify(path)}); k is not None and k[0] == ${JSON.stringify(text)}`,
      ) as boolean;
    // A stale snapshot would still work (compiled at boot), only slower: this says it is fresh.
    expect(kept('/home/pyodide/green_thread.py', thread)).toBe(true);
    expect(kept('/home/pyodide/gil_lab_reset.py', RESET_SOURCE)).toBe(true);
    // Another text at a kept path is compiled, and imported as `import` would.
    const mod = importSource(py, 'changed_here', '/home/pyodide/green_thread.py', 'X = 6 * 7\n');
    expect((mod as unknown as { X: number }).X).toBe(42);
    expect(py.runPython('import changed_here; changed_here.__file__')).toBe(
      '/home/pyodide/green_thread.py',
    );
    // A syntax error raises and leaves no half-made module behind.
    expect(() => importSource(py, 'broken_here', '/tmp/broken_here.py', 'def (')).toThrow(
      /SyntaxError/,
    );
    expect(py.runPython('import sys; "broken_here" in sys.modules')).toBe(false);
  }, 120_000);
});

describe('the one-interpreter engine started from the snapshot', () => {
  const { run } = pythonSuite({ gilEngine: 'auto', snapshot: SNAPSHOT, prewarm: 0 });

  it('runs threads (JSPI stack switching) and starts every run clean', async () => {
    const first = await run(`
import threading, time
seen = []
def work(i):
    time.sleep(0.01)
    seen.append(i)
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
leaked = 1
print(sorted(seen))`);
    expect(first.result.engine).toBe('one-interpreter');
    expect(first.result.startedFrom).toBe('snapshot');
    expect(first.stdout).toBe('[0, 1, 2, 3]\n');
    const second = await run(`print("leaked" in globals())`);
    expect(second.result.startedFrom).toBe('snapshot');
    expect(second.stdout).toBe('False\n');
  }, 180_000);
});
