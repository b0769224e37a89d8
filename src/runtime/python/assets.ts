/**
 * Page side: what every interpreter boots from. Fetches pyodide.asm.wasm once (with progress),
 * compiles it once and hands the same WebAssembly.Module to every worker; in the browser it also
 * fetches python_stdlib.zip once so the workers' own requests come from the HTTP cache.
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
  shimSource: string;
  /** Time to fetch and compile the shared module, ms (0 when not shared). */
  downloadMs: number;
  compileMs: number;
}

/**
 * Where second visits find the runtime files: Cache Storage, named after the Pyodide version so
 * an upgrade never reads stale files. The HTTP cache would often do, but hosts set very different
 * cache headers; this works on all of them.
 */
export const PYODIDE_CACHE_NAME = 'gil-lab-pyodide-314.0.7';

async function cachedResponse(url: string): Promise<Response> {
  const cache = await globalThis.caches?.open(PYODIDE_CACHE_NAME).catch(() => undefined);
  const hit = await cache?.match(url);
  if (hit) return hit;
  const response = await fetch(url);
  // Stored while the original streams to the caller, so the progress bar stays smooth.
  if (cache && response.ok) void cache.put(url, response.clone()).catch(() => undefined);
  return response;
}

/** The browser's reader: fetch (or Cache Storage on later visits), counting bytes as they arrive. */
export const fetchWithProgress: ReadFile = async (url, onBytes) => {
  const response = await cachedResponse(url);
  if (!response.ok || response.body === null)
    throw new Error(`GIL Lab could not load ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onBytes(loaded, total);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

/** Loads what workers need; `share` false leaves compiling to each worker (for comparison). */
export async function loadAssets(options: {
  indexURL: string;
  share: boolean;
  readFile: ReadFile;
  shimSource: string | undefined;
  /** Also read python_stdlib.zip here (browser: warms the cache the workers read from). */
  prefetchStdlib: boolean;
  onProgress: (p: PythonProgress) => void;
}): Promise<RuntimeAssets> {
  const { indexURL, readFile, onProgress } = options;
  const shimSource = options.shimSource ?? (await import('./shim-source.ts')).default;
  if (!options.share) return { indexURL, wasm: null, shimSource, downloadMs: 0, compileMs: 0 };
  const t0 = performance.now();
  const files = ['pyodide.asm.wasm', ...(options.prefetchStdlib ? ['python_stdlib.zip'] : [])];
  const seen = files.map(() => ({ loaded: 0, total: 0 }));
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
  const [wasmBytes] = await Promise.all(
    files.map((f, i) =>
      readFile(indexURL + f, (loaded, total) => {
        seen[i] = { loaded, total };
        report();
      }),
    ),
  );
  const t1 = performance.now();
  onProgress({ phase: 'compile', message: 'Compiling Python (WebAssembly)' });
  const wasm = await WebAssembly.compile(wasmBytes! as Uint8Array<ArrayBuffer>);
  return { indexURL, wasm, shimSource, downloadMs: t1 - t0, compileMs: performance.now() - t1 };
}
