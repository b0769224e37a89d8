/**
 * Page side: what every interpreter boots from. Fetches pyodide.asm.wasm once (with progress),
 * compiles it once and hands the same WebAssembly.Module to every worker; in the browser it also
 * downloads python_stdlib.zip and the snapshot into the HTTP cache while the wasm compiles (never
 * keeping their bytes: the workers read them there).
 *
 * In the browser the wasm is compiled with WebAssembly.compileStreaming of an HTTP-cache response
 * (compiledWasm): that is what Chromium keeps V8's compiled code beside (never beside bytes, nor
 * beside a Cache Storage response built in script), so the next page skips most of the compiling.
 */

/** Loading progress for the UI's progress bar. */
export interface PythonProgress {
  phase: 'download' | 'compile' | 'startup' | 'running';
  /** Bytes so far / in all (download), or interpreters started / to start (startup). */
  loaded?: number;
  total?: number;
  message: string;
}

/** Reads one runtime file; `onBytes(loaded, total)` reports progress (total 0 when unknown). */
export type ReadFile = (
  url: string,
  onBytes: (loaded: number, total: number) => void,
) => Promise<Uint8Array>;

/** What a worker boots from (BootConfig without its port). */
export interface RuntimeAssets {
  indexURL: string;
  wasm: WebAssembly.Module | null;
  /**
   * Where a booted interpreter's memory is (python-snapshot.bin, scripts/python-snapshot.mjs),
   * which workers start from instead of booting CPython; null: they boot the long way.
   */
  snapshot: string | null;
  shimSource: string;
  /** Time to fetch and compile the shared module, ms (0 when not shared). */
  downloadMs: number;
  compileMs: number;
}

/** The npm `pyodide` package's version (a unit test checks it): it names what may be cached. */
export const PYODIDE_VERSION = '314.0.7';
/**
 * The Cache Storage of an older GIL Lab, which kept python_stdlib.zip (and the wasm) there for the
 * page: the workers never read it (Pyodide fetches through the HTTP cache), so the page read 2.5
 * MB on every later visit for nothing. A page deletes it.
 */
export const PYODIDE_CACHE_NAME = `gil-lab-pyodide-${PYODIDE_VERSION}`;

/** The booted interpreter's memory beside Pyodide's files (made by scripts/python-snapshot.mjs). */
export const SNAPSHOT_FILE = 'python-snapshot.bin';

/**
 * The snapshot's URL in the browser: the query names Pyodide's version, so the HTTP cache's copy
 * (read with `force-cache`, as the wasm is) can never be another version's.
 */
export const snapshotUrl = (indexURL: string): string =>
  `${indexURL}${SNAPSHOT_FILE}?v=${PYODIDE_VERSION}`;

/**
 * Downloads `url` into the HTTP cache while the wasm compiles, so a worker's own request reads it
 * from there (the snapshot's with `force-cache`, pyodide-loader.ts; Pyodide's stdlib as the host's
 * cache headers allow), keeping none of its bytes. A missing file is no error: a missing snapshot
 * means a normal boot, and Pyodide itself says what is wrong with a missing stdlib.
 */
async function warmCache(
  url: string,
  cache: RequestCache,
  onBytes: (loaded: number, total: number) => void,
): Promise<void> {
  try {
    const response = await fetch(url, { cache });
    if (!response.ok || response.body === null) return void (await response.body?.cancel());
    const total = Number(response.headers.get('content-length') ?? 0);
    await counted(response.body, total, onBytes).pipeTo(new WritableStream());
  } catch {
    // The worker fetches it itself.
  }
}

/** Counts a body's bytes as they pass (`total` 0 when unknown). */
function counted(
  body: ReadableStream<Uint8Array>,
  total: number,
  onBytes: (loaded: number, total: number) => void,
): ReadableStream<Uint8Array> {
  let loaded = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        loaded += chunk.length;
        onBytes(loaded, total);
        out.enqueue(chunk);
      },
    }),
  );
}

/** A response's body, counting bytes as they arrive. */
async function bytesOf(
  response: Response,
  url: string,
  onBytes: (loaded: number, total: number) => void,
): Promise<Uint8Array> {
  if (!response.ok || response.body === null)
    throw new Error(`GIL Lab could not load ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  return new Uint8Array(await new Response(counted(response.body, total, onBytes)).arrayBuffer());
}

/** The browser's reader: fetch, counting bytes as they arrive. */
export const fetchWithProgress: ReadFile = async (url, onBytes) =>
  bytesOf(await fetch(url), url, onBytes);

/** Compiles pyodide.asm.wasm; `onCompile` is called once every byte is here. */
export type CompileWasm = (
  url: string,
  onBytes: (loaded: number, total: number) => void,
  onCompile: () => void,
) => Promise<WebAssembly.Module>;

/** Reads the file with `readFile`, then compiles its bytes (Node; browsers without streaming). */
export function compileBytes(readFile: ReadFile): CompileWasm {
  return async (url, onBytes, onCompile) => {
    const bytes = await readFile(url, onBytes);
    onCompile();
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  };
}

/**
 * The browser's compiler: WebAssembly.compileStreaming of the wasm's HTTP-cache response, so the
 * engine's code cache serves later pages (Chromium keeps V8's optimised code beside the cache entry
 * and checks it against the bytes' SHA-256). The URL carries Pyodide's version, which makes
 * `force-cache` safe: a page reads the stored file without asking the host again, whatever cache
 * headers the host sends — a revalidated response gets a new time, and Chromium then drops the
 * code stored beside it, so every page would compile again. Progress counts a clone's bytes. A
 * host that does not say `application/wasm` (which compileStreaming needs) gets the bytes compiled.
 */
export const compiledWasm: CompileWasm = async (url, onBytes, onCompile) => {
  // An older GIL Lab kept the stdlib and the wasm in Cache Storage: nothing reads them now.
  void globalThis.caches?.delete(PYODIDE_CACHE_NAME).catch(() => false);
  const response = await fetch(`${url}?v=${PYODIDE_VERSION}`, { cache: 'force-cache' });
  const streamed =
    typeof WebAssembly.compileStreaming === 'function' &&
    response.headers.get('content-type')?.toLowerCase() === 'application/wasm';
  if (!streamed || !response.ok || response.body === null)
    return compileBytes(async () => bytesOf(response, url, onBytes))(url, onBytes, onCompile);
  const copy = response.clone();
  const total = Number(response.headers.get('content-length') ?? 0);
  const counting = counted(copy.body!, total, onBytes)
    .pipeTo(new WritableStream())
    .then(() => onCompile());
  const [module] = await Promise.all([WebAssembly.compileStreaming(response), counting]);
  return module;
};

/** Loads what workers need; `share` false leaves compiling to each worker (for comparison). */
export async function loadAssets(options: {
  indexURL: string;
  share: boolean;
  readFile: ReadFile;
  /** How pyodide.asm.wasm is read and compiled (default: read with `readFile`, compile the bytes). */
  compile?: CompileWasm | undefined;
  shimSource: string | undefined;
  /** The snapshot workers start from (a URL, or a path in Node); null: none. */
  snapshot?: string | null | undefined;
  /** Also download python_stdlib.zip and the snapshot (browser: into the HTTP cache the workers read). */
  prefetchStdlib: boolean;
  onProgress: (p: PythonProgress) => void;
}): Promise<RuntimeAssets> {
  const { indexURL, readFile, onProgress } = options;
  // The shim's text is a chunk of its own: loaded beside the wasm, not before it starts.
  const shim =
    options.shimSource !== undefined
      ? Promise.resolve(options.shimSource)
      : import('./shim-source.ts').then((m) => m.default);
  const snapshot = options.snapshot ?? null;
  if (!options.share)
    return { indexURL, wasm: null, snapshot, shimSource: await shim, downloadMs: 0, compileMs: 0 };
  const compile = options.compile ?? compileBytes(readFile);
  const t0 = performance.now();
  // The wasm first (compiled here), then what is only downloaded into the HTTP cache.
  const warm: [string, RequestCache][] = options.prefetchStdlib
    ? [
        [indexURL + 'python_stdlib.zip', 'default'],
        ...(snapshot !== null ? [[snapshot, 'force-cache'] as [string, RequestCache]] : []),
      ]
    : [];
  const seen = [null, ...warm].map(() => ({ loaded: 0, total: 0 }));
  const report = (): void => {
    const loaded = seen.reduce((a, s) => a + s.loaded, 0);
    const total = seen.every((s) => s.total > 0) ? seen.reduce((a, s) => a + s.total, 0) : 0;
    const mb = (n: number): string => (n / 2 ** 20).toFixed(1);
    onProgress({
      phase: 'download',
      loaded,
      ...(total > 0 ? { total } : {}),
      message: `Downloading Python (${mb(loaded)}${total > 0 ? ` of ${mb(total)}` : ''} MB)`,
    });
  };
  const progressOf =
    (i: number) =>
    (loaded: number, total: number): void => {
      seen[i] = { loaded, total };
      report();
    };
  // The files download side by side, and compiling starts once the wasm is here: the progress bar
  // says "Downloading" while any file still downloads, then "Compiling" for what is left.
  let t1 = t0;
  let downloaded: () => void = () => undefined;
  const wasmHere = new Promise<void>((r) => (downloaded = r));
  const others = Promise.all(
    warm.map(([url, cache], i) => warmCache(url, cache, progressOf(i + 1))),
  );
  const [wasm, shimSource] = await Promise.all([
    compile(indexURL + 'pyodide.asm.wasm', progressOf(0), () => downloaded()),
    shim,
    Promise.all([wasmHere, others]).then(() => {
      t1 = performance.now();
      onProgress({ phase: 'compile', message: 'Compiling Python (WebAssembly)' });
    }),
  ]);
  return {
    indexURL,
    wasm,
    snapshot,
    shimSource,
    downloadMs: t1 - t0,
    compileMs: performance.now() - t1,
  };
}
