/**
 * Worker side: loads Pyodide from our own files (no CDN), instantiating a WebAssembly.Module the
 * page compiled once instead of compiling pyodide.asm.wasm again in every worker, and starting
 * from a memory snapshot of a booted interpreter when there is one (scripts/python-snapshot.mjs):
 * that skips CPython's start-up. A snapshot that is missing, broken or from another Pyodide build
 * (Pyodide checks its build id) falls back to a normal boot.
 */
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import { guardSuspendedFrames } from './suspended-frames.ts';

/** Pyodide's own tiny helper module (pyodide.mjs, getJsvErrorImport): two wasm-GC error helpers. */
const JSV_ERROR_HELPER =
  'AGFzbQEAAAABDANfAGAAAW9gAW8BfwMDAgECBygCE0pzdl9HZXRFcnJvcl9pbXBvcnQAAA5Kc3ZFcnJvcl9DaGVjawABChMCBwD7AQD7GwsJACAA+xr7FAAL';

type Imports = Record<string, Record<string, unknown>>;
type Settings = {
  instantiateWasm?: (
    imports: Imports,
    done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => object;
};
type CreateModule = (settings: Settings) => Promise<unknown>;

/** The imports pyodide.mjs adds before instantiating (a wasm helper where supported, else JS). */
async function jsvErrorImports(): Promise<Record<string, unknown>> {
  try {
    const bytes = Uint8Array.from(atob(JSV_ERROR_HELPER), (c) => c.charCodeAt(0));
    const { instance } = await WebAssembly.instantiate(bytes);
    return { ...instance.exports };
  } catch {
    const marker = Symbol('error marker');
    return {
      Jsv_GetError_import: () => marker,
      JsvError_Check: (e: unknown) => e === marker,
    };
  }
}

/** A URL `import()` accepts for `indexURL + file` (file: URLs for Node paths). */
export function moduleUrl(indexURL: string, file: string): string {
  const full = indexURL + file;
  return full.startsWith('/') && typeof process !== 'undefined' ? `file://${full}` : full;
}

/** Where a snapshot booted an interpreter: 'snapshot', or why it did not ('none': not asked). */
export type SnapshotUse = 'snapshot' | 'none' | `fallback: ${string}`;

/** A booted interpreter and how it booted. */
export interface LoadedInterpreter {
  py: PyodideAPI;
  snapshot: SnapshotUse;
}

/** The first two bytes of a gzip stream. */
const isGzip = (b: Uint8Array): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * Frees a chunk's memory now instead of at the worker's next full garbage collection (which an
 * idle worker may not have for half a minute): booting reads some 20 MB of chunks that are
 * garbage the moment they are copied into the interpreter's memory. Detaching a buffer releases
 * its backing store; a buffer that cannot be detached is simply left to the collector.
 */
function release(chunk: Uint8Array): void {
  try {
    (chunk.buffer as ArrayBuffer).transfer?.(0);
  } catch {
    // Shared, already detached, or an engine without ArrayBuffer.prototype.transfer.
  }
}

/**
 * The snapshot's bytes as they arrive: fetched from the HTTP cache when there (the URL names
 * Pyodide's version, so `force-cache` never reads another version's; the page fetched it while
 * the wasm compiled) and gunzipped as they arrive unless the host already sent them decoded; in
 * Node, a file gunzipped with zlib in one go (several times faster than Node's
 * DecompressionStream, and the tests boot many interpreters). Every chunk is this reader's own,
 * so ExactReader may release it once copied.
 */
async function snapshotStream(url: string): Promise<ReadableStream<Uint8Array>> {
  if (!/^https?:/.test(url)) {
    const [{ readFile }, { gunzipSync }] = await Promise.all([
      import(/* @vite-ignore */ 'node:fs/promises'),
      import(/* @vite-ignore */ 'node:zlib'),
    ]);
    const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
    const raw = view(await readFile(url.replace(/^file:\/\//, '')));
    const bytes = isGzip(raw) ? view(gunzipSync(raw)) : raw;
    return new ReadableStream<Uint8Array>({
      start: (c) => {
        c.enqueue(bytes);
        c.close();
      },
    });
  }
  const response = await fetch(url, { cache: 'force-cache' });
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) throw new Error('Snapshot is empty');
  const whole = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(first.value),
    pull: async (c) => {
      const next = await reader.read();
      if (next.done) c.close();
      else c.enqueue(next.value);
    },
    cancel: (why) => reader.cancel(why),
  });
  return isGzip(first.value)
    ? whole.pipeThrough(
        new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>,
      )
    : whole;
}

/**
 * The file (scripts/python-snapshot.mjs) is Pyodide's snapshot (API.makeSnapshot: a 48-byte
 * header, JSON, then the whole memory) with the memory stored sparse: its length, how many
 * 4 KiB pages are not all zeros, their page numbers, then those pages. Half the pages of a booted
 * interpreter are zeros: they are neither sent, nor inflated, nor written (not resident).
 */
const SNAPSHOT_MAGIC = 1886286592;
const HEADER_BYTES = 48;
export const SNAPSHOT_PAGE = 4096;

/** What of Emscripten's module the snapshot is written into. */
interface SnapshotTarget {
  HEAP8: Int8Array;
  API: { config: { BUILD_ID: string }; restoreSnapshot: (bytes: Uint8Array) => unknown };
}

/**
 * Reads exactly `n` bytes at a time from a stream of chunks of any size. What `read()` returns is
 * valid until the next `read()`: a chunk is released (see release()) once it has been read to
 * its end, so copy what must outlive it.
 */
class ExactReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunk: Uint8Array = new Uint8Array(0);
  /** The chunk `#chunk` is a view of, released when the next one comes. */
  #whole: Uint8Array | null = null;
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async #next(): Promise<void> {
    if (this.#whole !== null) release(this.#whole);
    this.#whole = null;
    const next = await this.#reader.read();
    if (next.done) throw new Error('Snapshot is truncated');
    this.#whole = next.value;
    this.#chunk = next.value;
  }

  async read(n: number): Promise<Uint8Array> {
    if (this.#chunk.length === 0 && n > 0) await this.#next();
    if (this.#chunk.length >= n) {
      const out = this.#chunk.subarray(0, n);
      this.#chunk = this.#chunk.subarray(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.#chunk.length === 0) await this.#next();
      const take = Math.min(n - filled, this.#chunk.length);
      out.set(this.#chunk.subarray(0, take), filled);
      this.#chunk = this.#chunk.subarray(take);
      filled += take;
    }
    return out;
  }

  async end(): Promise<boolean> {
    if (this.#chunk.length > 0) return false;
    if (this.#whole !== null) release(this.#whole);
    this.#whole = null;
    const next = await this.#reader.read();
    return next.done;
  }
}

const u32 = (b: Uint8Array, i: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(i, true);

/**
 * Streams the snapshot into a new interpreter's memory (Pyodide's restoreSnapshot would need all
 * 30 MB in one buffer first); returns its JSON part, after the checks restoreSnapshot makes: the
 * magic number and the build id of this very pyodide.asm.wasm.
 */
async function writeSnapshot(
  target: SnapshotTarget,
  stream: ReadableStream<Uint8Array>,
): Promise<unknown> {
  const input = new ExactReader(stream);
  // A copy: the header is read again after the JSON part, which may come in another chunk.
  const header = (await input.read(HEADER_BYTES)).slice();
  if (u32(header, 0) !== SNAPSHOT_MAGIC) throw new Error('Snapshot has invalid magic number');
  const build = Array.from({ length: 8 }, (_, i) =>
    u32(header, 16 + 4 * i)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  if (build !== target.API.config.BUILD_ID) throw new Error('Snapshot build id mismatch');
  const json = await input.read(u32(header, 4) - HEADER_BYTES);
  const config: unknown = JSON.parse(new TextDecoder().decode(json.subarray(0, u32(header, 8))));
  const sizes = await input.read(8);
  const heap = new Uint8Array(target.HEAP8.buffer);
  const words = new Int32Array(target.HEAP8.buffer);
  if (u32(sizes, 0) !== heap.length) throw new Error('Snapshot memory size differs');
  const count = u32(sizes, 4);
  const table = await input.read(4 * count);
  const pages = new Uint32Array(count);
  for (let i = 0; i < count; i++) pages[i] = u32(table, 4 * i);
  let next = 0;
  for (let page = 0; page < heap.length / SNAPSHOT_PAGE; page++) {
    const at = page * SNAPSHOT_PAGE;
    if (next < count && pages[next] === page) {
      heap.set(await input.read(SNAPSHOT_PAGE), at);
      next++;
      continue;
    }
    // A page the snapshot has as zeros: start-up may have written it here (static data). Only
    // read (a write would make an untouched page resident), a word at a time: 4x fewer steps.
    const end = (at + SNAPSHOT_PAGE) / 4;
    let k = at / 4;
    while (k < end && words[k] === 0) k++;
    if (k < end) heap.fill(0, at, at + SNAPSHOT_PAGE);
  }
  if (next !== count || !(await input.end())) throw new Error('Snapshot pages do not match');
  return config;
}

/**
 * Python code run once in an interpreter that started from the snapshot: what CPython read from
 * its host while booting (in Node, at build time) is read again from this one, so it equals a
 * normal boot here (a test compares them). `random` was seeded at build time: every snapshot would
 * draw the same numbers. (str hashes keep the build's secret, as with a fixed PYTHONHASHSEED; time.tzname
 * keeps UTC, though local times are right, since Pyodide has no time.tzset.)
 */
const AFTER_SNAPSHOT = `
import os, random, sys
random.seed()
_info = sys._emscripten_info
sys._emscripten_info = type(_info)((_info.emscripten_version, _runtime, _info.pthreads, _info.shared_memory))
os.environ["LANG"] = _lang
# loadPyodide() puts "" first in sys.path again: the snapshot has it already.
if sys.path[:2] == ["", ""]:
    del sys.path[0]
`;

/**
 * Run once after starting from the snapshot, in a namespace of its own. A normal boot runs a lot
 * of Python (importing the standard library), which makes the engine optimise the interpreter's
 * hot wasm functions (the eval loop above all) before any program runs; from the snapshot they
 * are still baseline code, and a wasm call that is running keeps the code it started with: a
 * program's first long loop (timed by the lessons!) would run on baseline code throughout, several
 * times slower. Many short calls make them hot here; the optimised code is compiled in the
 * background and used from the next call on (for the program, and in the engine's code cache
 * for later pages).
 */
const WARM_UP = `
def _count(n):
    while n:
        n -= 1
    return n

def _mix(n):
    d = {}
    s = []
    for i in range(n):
        d[i % 7] = d.get(i % 7, 0) + i
        s.append(str(i))
    return len("".join(s)) + sum(d.values())

for _ in range(400):
    _count(500)
    _mix(20)
`;

/**
 * Standard library modules every GIL Lab interpreter imports at boot (green_thread.py and the
 * shim: hashlib; the shim: pickle). Pyodide's stdlib has no bytecode, so importing them compiles
 * some 80 kB of Python source: the snapshot has them imported already (scripts/python-snapshot.mjs,
 * the same list), and a normal boot imports them here, so both kinds of interpreter start equal.
 */
export const PRELOADED_MODULES = ['hashlib', 'pickle'];

/**
 * The module the snapshot keeps GIL Lab's precompiled Python in (scripts/python-snapshot.mjs:
 * `_gil_lab_code.code`, {path: (source, code object)}); a normal boot makes it empty, so both
 * kinds of interpreter have the same modules.
 */
const CODE_MODULE = `
import sys, types
if "_gil_lab_code" not in sys.modules:
    _m = types.ModuleType("_gil_lab_code", "GIL Lab's Python compiled into the snapshot: {path: (source, code)}.")
    _m.code = {}
    sys.modules["_gil_lab_code"] = _m
    del _m
`;

/** A normally booted interpreter, with what the snapshot's has imported too. */
async function bootLongWay(indexURL: string, wasm: WebAssembly.Module | null): Promise<PyodideAPI> {
  const py = await bootPyodide(indexURL, wasm, null);
  py.runPython(`import ${PRELOADED_MODULES.join(', ')}`);
  const scope = py.toPy({});
  try {
    py.runPython(CODE_MODULE, { globals: scope });
  } finally {
    scope.destroy();
  }
  return py;
}

/**
 * Imports `source` (written at `path`) as module `name`, as `import name` would (its spec, file,
 * loader and cached-bytecode names are importlib's): from the code object the snapshot compiled
 * when it holds this very text, else compiled now. Pyodide's Python has no bytecode cache, and
 * compiling green_thread.py took 100-400 ms of every page's first Run.
 */
const IMPORT_SOURCE = `
import importlib.util, sys
def import_source(name, path, source):
    kept = getattr(sys.modules.get("_gil_lab_code"), "code", {}).get(path)
    code = kept[1] if kept is not None and kept[0] == source else None
    if code is None:
        code = compile(source, path, "exec", dont_inherit=True)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module
`;

/** Imports `source`, written at `path`, as module `name` (IMPORT_SOURCE); returns the module. */
export function importSource(py: PyodideAPI, name: string, path: string, source: string): PyProxy {
  py.FS.writeFile(path, source);
  const scope = py.toPy({});
  try {
    py.runPython(IMPORT_SOURCE, { globals: scope });
    const load = scope.get('import_source') as PyProxy & ((...a: string[]) => PyProxy);
    try {
      return load(name, path, source);
    } finally {
      load.destroy();
    }
  } finally {
    scope.destroy();
  }
}

/** What this host makes CPython read at start-up (as Emscripten and CPython compute them). */
function hostFacts(): { _runtime: string; _lang: string } {
  const nav = globalThis.navigator as Navigator | undefined;
  return {
    // CPython's _Py_emscripten_runtime(): navigator.userAgent where there is a navigator.
    _runtime: nav?.userAgent ?? 'UNKNOWN',
    // Emscripten's getEnvStrings().
    _lang: `${(nav?.language ?? 'C').replace('-', '_')}.UTF-8`,
  };
}

/** Pyodide's loader and its Emscripten module, imported at once (the module map shares them). */
function pyodideModules(
  indexURL: string,
): Promise<[typeof import('pyodide'), { default: CreateModule }]> {
  return Promise.all([
    import(/* @vite-ignore */ moduleUrl(indexURL, 'pyodide.mjs')) as Promise<
      typeof import('pyodide')
    >,
    import(/* @vite-ignore */ moduleUrl(indexURL, 'pyodide.asm.mjs')) as Promise<{
      default: CreateModule;
    }>,
  ]);
}

/**
 * `stream` read to its end at once, its chunks queued until they are read: the snapshot is
 * fetched and gunzipped (some 100-200 ms of inflating 14 MB) while the page still compiles the
 * wasm and Pyodide's JavaScript loads, not after. The queue holds what has not been copied yet;
 * writeSnapshot() frees each chunk once copied.
 */
function eager(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>(undefined, undefined, { highWaterMark: Infinity }),
  );
}

/** The snapshot's stream preload() started, for the loadInterpreter() that asks for that file. */
let early: { snapshot: string; stream: Promise<ReadableStream<Uint8Array>> } | null = null;

/**
 * Starts what loadInterpreter() will wait for, while the page still compiles the wasm: importing
 * Pyodide's JavaScript (1.3 MB to parse) and fetching and gunzipping the snapshot (eager()). Never throws; a failure shows
 * in loadInterpreter(), which then falls back as without preloading.
 */
export function preload(indexURL: string, snapshot: string | null): void {
  pyodideModules(indexURL).catch(() => undefined);
  if (snapshot === null || early !== null) return;
  const stream = snapshotStream(snapshot).then(eager);
  stream.catch(() => undefined);
  early = { snapshot, stream };
}

/** The snapshot's bytes: preload()'s stream for that file if there is one, else a new one. */
function snapshotBytes(snapshot: string): Promise<ReadableStream<Uint8Array>> {
  const mine = early?.snapshot === snapshot ? early.stream : null;
  early = null;
  return mine ?? snapshotStream(snapshot);
}

/**
 * Boots one interpreter: from `snapshot` (a URL, or a path in Node) when given and usable, else
 * the long way. With `wasm`, instantiates that module rather than fetching and compiling.
 */
export async function loadInterpreter(
  indexURL: string,
  wasm: WebAssembly.Module | null,
  snapshot: string | null = null,
): Promise<LoadedInterpreter> {
  // The snapshot is streamed into the memory of the module the page compiled (bootPyodide).
  if (snapshot === null || wasm === null) {
    void early?.stream.then((s) => s.cancel()).catch(() => undefined);
    early = null;
    return { py: await bootLongWay(indexURL, wasm), snapshot: 'none' };
  }
  let reason: string;
  try {
    const py = await bootPyodide(indexURL, wasm, await snapshotBytes(snapshot));
    const globals = py.toPy(hostFacts());
    try {
      py.runPython(AFTER_SNAPSHOT, { globals });
    } finally {
      globals.destroy();
    }
    const scratch = py.toPy({});
    try {
      py.runPython(WARM_UP, { globals: scratch });
    } finally {
      scratch.destroy();
    }
    return { py, snapshot: 'snapshot' };
  } catch (e) {
    reason = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
  }
  return { py: await bootLongWay(indexURL, wasm), snapshot: `fallback: ${reason}` };
}

/** pyodide.asm.wasm compiled in this worker (fetched; read from the file in Node). */
async function compileHere(indexURL: string): Promise<WebAssembly.Module> {
  const url = moduleUrl(indexURL, 'pyodide.asm.wasm');
  if (url.startsWith('file:')) {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return WebAssembly.compile(await readFile(new URL(url)));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GIL Lab could not load ${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function bootPyodide(
  indexURL: string,
  wasm: WebAssembly.Module | null,
  snapshot: ReadableStream<Uint8Array> | null,
): Promise<PyodideAPI> {
  const [{ loadPyodide }, { default: create }] = await pyodideModules(indexURL);
  // Without the page's compiled module (bench's comparison): compiled here, still through the
  // hook below, which every interpreter needs (suspended-frames.ts).
  const compiled = wasm ?? (await compileHere(indexURL));
  // loadPyodide only asks whether there is a snapshot (it then skips CPython's start-up) and hands
  // it to restoreSnapshot, which the module below answers with what writeSnapshot() has written.
  const fromSnapshot = snapshot === null ? {} : { _loadSnapshot: new Uint8Array(0) };
  // pyodide.mjs starts fetching the .wasm eagerly unless this name is defined (it is otherwise only
  // set by Emscripten's source-map support, which this build does not use): we never need that fetch.
  (globalThis as Record<string, unknown>)['WasmOffsetConverter'] ??= null;
  const createWithSharedModule: CreateModule = (settings) => {
    // Emscripten waits for `done` forever: a failed instantiation must reject instead.
    let fail: (e: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    settings.instantiateWasm = (imports, done) => {
      let memory: WebAssembly.Memory | null = null;
      guardSuspendedFrames(imports, () => memory!);
      void (async () => {
        Object.assign(imports['env']!, await jsvErrorImports());
        const instance = await WebAssembly.instantiate(compiled, imports as WebAssembly.Imports);
        memory = instance.exports['memory'] as WebAssembly.Memory;
        done(instance, compiled);
      })().catch(fail);
      return {};
    };
    return Promise.race([create(settings), failed]).then(async (module) => {
      if (snapshot === null) return module;
      const target = module as SnapshotTarget;
      const config = await writeSnapshot(target, snapshot);
      target.API.restoreSnapshot = () => config;
      return module;
    });
  };
  return loadPyodide({
    indexURL,
    createPyodideModule: createWithSharedModule as never,
    ...fromSnapshot,
  });
}
