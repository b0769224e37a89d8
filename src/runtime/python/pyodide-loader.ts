/**
 * Worker side: loads Pyodide from our own files (no CDN), instantiating a WebAssembly.Module the
 * page compiled once instead of compiling pyodide.asm.wasm again in every worker.
 */
import type { PyodideAPI } from 'pyodide';

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

/** Boots one interpreter. With `wasm`, instantiates that module rather than fetching and compiling. */
export async function loadInterpreter(
  indexURL: string,
  wasm: WebAssembly.Module | null,
): Promise<PyodideAPI> {
  const { loadPyodide } = (await import(
    /* @vite-ignore */ moduleUrl(indexURL, 'pyodide.mjs')
  )) as typeof import('pyodide');
  if (wasm === null) return loadPyodide({ indexURL, checkAPIVersion: true });
  const create = (
    (await import(/* @vite-ignore */ moduleUrl(indexURL, 'pyodide.asm.mjs'))) as {
      default: CreateModule;
    }
  ).default;
  // pyodide.mjs starts fetching the .wasm eagerly unless this name is defined (it is otherwise only
  // set by Emscripten's source-map support, which this build does not use): we never need that fetch.
  (globalThis as Record<string, unknown>)['WasmOffsetConverter'] ??= null;
  const createWithSharedModule: CreateModule = (settings) => {
    // Emscripten waits for `done` forever: a failed instantiation must reject instead.
    let fail: (e: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    settings.instantiateWasm = (imports, done) => {
      void (async () => {
        Object.assign(imports['env']!, await jsvErrorImports());
        done(await WebAssembly.instantiate(wasm, imports as WebAssembly.Imports), wasm);
      })().catch(fail);
      return {};
    };
    return Promise.race([create(settings), failed]);
  };
  return loadPyodide({
    indexURL,
    createPyodideModule: createWithSharedModule as never,
  });
}
