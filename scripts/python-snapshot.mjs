// @ts-check
/**
 * Makes public/pyodide/python-snapshot.bin: a memory snapshot of a freshly booted Pyodide
 * interpreter (loadPyodide({ _makeSnapshot: true }) then pyodide.makeMemorySnapshot()), its
 * memory stored sparse (pages of zeros left out, see sparse()) and gzipped.
 * A worker that instantiates pyodide.asm.wasm with it skips CPython's start-up and the standard
 * library imports Pyodide does while booting (seconds) and starts from this memory instead
 * (src/runtime/python/pyodide-loader.ts, which falls back to a normal boot when the file is
 * missing, broken or made by another Pyodide build).
 *
 * It is Pyodide's own state after loadPyodide(), before any shim or program, so it depends on the
 * npm `pyodide` package (the integration remakes it when that changes), plus the standard library modules every GIL Lab interpreter imports next
 * (PRELOADED_MODULES): Pyodide's stdlib has no bytecode, so importing them compiles some 80 kB
 * of Python source at every boot. The loader imports the same after a normal boot, so both start
 * equal (snapshot.test.ts compares them). Likewise GIL Lab's own Python that every boot imports
 * (precompiled(): green_thread.py, 1,500 lines, and the reset module) is compiled into it, kept beside its source text in
 * the module `_gil_lab_code`: a worker importing that very text takes the code object instead of
 * compiling it again (pyodide-loader.ts importSource(); any other text is compiled as before). It is made in Node, so what Python read from its host while booting is normalised here
 * or put right after loading (pyodide-loader.ts): the program name (as in a browser), the time
 * zone (UTC), LANG, sys._emscripten_info.runtime, the `random` module's seed.
 *
 * Usage: node scripts/python-snapshot.mjs <out-file>   (the integration runs it in a child process)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The snapshot's file name beside the other Pyodide files (pyodide-loader.ts reads it). */
export const SNAPSHOT_FILE = 'python-snapshot.bin';

/**
 * Imported before the snapshot is taken: what both Run Python engines import at boot besides
 * Pyodide's own modules (green_thread.py and the shim: hashlib; the shim: pickle). The same list
 * as PRELOADED_MODULES in src/runtime/python/pyodide-loader.ts, which a normal boot imports.
 */
const PRELOADED_MODULES = ['hashlib', 'pickle'];

/** Where green_thread.py and the reset module's source are in the repository. */
const GREEN_THREAD = new URL('../src/runtime/python/green/green_thread.py', import.meta.url);
const INTERPRETER_RESET = new URL('../src/runtime/python/interpreter-reset.ts', import.meta.url);

/**
 * The Python text of interpreter-reset.ts's RESET_SOURCE (a String.raw template: no backtick or
 * substitution inside), or null if it is no longer written that way (then it is compiled at boot).
 * @param {string} ts
 */
function resetSource(ts) {
  const found = /export const RESET_SOURCE = String\.raw`([^`]*)`;/.exec(ts);
  const text = found?.[1];
  return text !== undefined && !text.includes('${') ? text : null;
}

/**
 * GIL Lab's Python that workers import at every boot (pyodide-loader.ts importSource()): where
 * the worker writes it (its name in tracebacks) → its text. Compiled into the snapshot.
 * @returns {Record<string, string>}
 */
function precompiled() {
  const reset = resetSource(readFileSync(INTERPRETER_RESET, 'utf8'));
  return {
    '/home/pyodide/green_thread.py': readFileSync(GREEN_THREAD, 'utf8'),
    ...(reset !== null ? { '/home/pyodide/gil_lab_reset.py': reset } : {}),
  };
}

/**
 * Compiles `files` ({path: source}) as importlib would (dont_inherit, default optimisation) into
 * `_gil_lab_code.code` ({path: (source, code)}); pyodide-loader.ts (CODE_MODULE) makes the same
 * module, empty, in a normally booted interpreter.
 */
const COMPILE = `
import sys, types
_m = types.ModuleType("_gil_lab_code", "GIL Lab's Python compiled into the snapshot: {path: (source, code)}.")
_m.code = {p: (s, compile(s, p, "exec", dont_inherit=True)) for p, s in files.items()}
sys.modules["_gil_lab_code"] = _m
del _m
`;

const SELF = fileURLToPath(import.meta.url);

/** node_modules/pyodide/ as a directory path with a trailing slash. */
function pyodideDir() {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('pyodide/package.json'))}/`;
}

/** Boots Pyodide as a browser would name it and returns the gzipped snapshot. */
export async function makeSnapshot() {
  const indexURL = pyodideDir();
  const { loadPyodide } = await import(pathToFileURL(join(indexURL, 'pyodide.mjs')).href);
  // './this.program' is Emscripten's program name in a browser (in Node it is this script's path,
  // which would end up in sys.executable and os.environ['_']).
  const py = await loadPyodide({ indexURL, _makeSnapshot: true, _sysExecutable: './this.program' });
  py.runPython(`import ${PRELOADED_MODULES.join(', ')}`);
  const globals = py.toPy({ files: precompiled() });
  try {
    py.runPython(COMPILE, { globals });
  } finally {
    globals.destroy();
  }
  return gzipSync(sparse(py.makeMemorySnapshot()), { level: 6 });
}

/** Bytes per page of the sparse memory (pyodide-loader.ts reads this format). */
const PAGE = 4096;

/**
 * Pyodide's snapshot (a header whose second word says where the memory starts, then the memory)
 * with the memory stored sparse: its length, the number of pages that are not all zeros, their
 * page numbers (u32, little-endian), then those pages.
 * @param {Uint8Array} raw
 */
export function sparse(raw) {
  const start = new DataView(raw.buffer, raw.byteOffset).getUint32(4, true);
  const memory = raw.subarray(start);
  if (memory.length % PAGE !== 0) throw new Error('memory is not whole pages');
  /** @type {number[]} */
  const pages = [];
  for (let p = 0; p < memory.length / PAGE; p++)
    if (memory.subarray(p * PAGE, (p + 1) * PAGE).some((b) => b !== 0)) pages.push(p);
  const out = new Uint8Array(start + 8 + 4 * pages.length + PAGE * pages.length);
  out.set(raw.subarray(0, start));
  const view = new DataView(out.buffer);
  view.setUint32(start, memory.length, true);
  view.setUint32(start + 4, pages.length, true);
  pages.forEach((p, i) => view.setUint32(start + 8 + 4 * i, p, true));
  let at = start + 8 + 4 * pages.length;
  for (const p of pages) {
    out.set(memory.subarray(p * PAGE, (p + 1) * PAGE), at);
    at += PAGE;
  }
  return out;
}

/**
 * Makes `target` unless it is newer than pyodide.asm.wasm, this script and the precompiled files
 * (a snapshot older than them still works: their new text is compiled at boot). Runs the boot in a
 * child process (seconds of CPU, and ~100 MB it should not keep). Returns true when it made one.
 * @param {string} target
 */
export function ensureSnapshot(target) {
  const wasm = join(pyodideDir(), 'pyodide.asm.wasm');
  if (existsSync(target)) {
    const made = statSync(target).mtimeMs;
    const inputs = [wasm, SELF, fileURLToPath(GREEN_THREAD), fileURLToPath(INTERPRETER_RESET)];
    if (inputs.every((f) => made >= statSync(f).mtimeMs)) return false;
  }
  mkdirSync(dirname(target), { recursive: true });
  const child = spawnSync(process.execPath, [SELF, target], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (child.status !== 0) throw new Error(`python-snapshot.mjs failed (exit ${child.status})`);
  return true;
}

if (process.argv[1] === SELF) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: node scripts/python-snapshot.mjs <out-file>');
  const t0 = performance.now();
  const bytes = await makeSnapshot();
  // Written whole, then renamed: an interrupted build never leaves half a file that looks fresh.
  writeFileSync(`${target}.part`, bytes);
  renameSync(`${target}.part`, target);
  console.log(
    `python-snapshot: ${(bytes.length / 2 ** 20).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${target}`,
  );
  process.exit(0);
}
