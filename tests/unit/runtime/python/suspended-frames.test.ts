/**
 * suspended-frames.ts: CPython's collector never walks into a suspended stack's C stack. The
 * interleaving that killed Run Python's one interpreter under load, made deterministic: stack A
 * suspends deep in frames Python entered from C (their _PyEntryFrames live on the shared C
 * stack), stack X resumes (Pyodide copies A's part of the C stack aside, and X may write over it),
 * something writes there, and X's collection walks every thread state's frames. Without the
 * guard the walk follows what was written and the interpreter dies ("memory access out of
 * bounds"); with it, A's frames are out of the walk and both stacks end normally. Node, the loader
 * every worker uses; nothing timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import { loadInterpreter } from '../../../../src/runtime/python/pyodide-loader.ts';
import { CURRENT_FRAME_OFFSET } from '../../../../src/runtime/python/suspended-frames.ts';
import { NODE_SNAPSHOT, PYODIDE_DIR } from '../../../../src/runtime/node/python-runner.ts';
import { ensureSnapshot } from '../../../../scripts/python-snapshot.mjs';

/** The parts of Emscripten's module these tests read. */
interface Emscripten {
  HEAP8: Int8Array;
  _PyThreadState_Get(): number;
  _PyThreadState_GetFrame(tstate: number): number;
  _Py_DecRef(ptr: number): void;
  stackSave(): number;
}

let py: PyodideAPI;
let em: Emscripten;
/** The interpreter's memory as words (a new view: memory may have grown). */
const heap32 = (): Int32Array => new Int32Array(em.HEAP8.buffer);

beforeAll(async () => {
  ensureSnapshot(NODE_SNAPSHOT);
  const wasm = await WebAssembly.compile(readFileSync(join(PYODIDE_DIR, 'pyodide.asm.wasm')));
  py = (await loadInterpreter(PYODIDE_DIR, wasm, NODE_SNAPSHOT)).py;
  em = (py as unknown as { _module: Emscripten })._module;
}, 180_000);

/** Resolves once a stack called `name` (it is about to suspend); `release()` resumes it. */
function gate(name: string): { reached: Promise<void>; release: () => void } {
  let reached: () => void = () => undefined;
  let release: () => void = () => undefined;
  const at = new Promise<void>((r) => (reached = r));
  py.globals.set(name, () => {
    reached();
    return new Promise<void>((r) => (release = r));
  });
  return { reached: at, release: () => release() };
}

describe('a suspended stack and the garbage collector', () => {
  it('finds current_frame where suspended-frames.ts clears it', () => {
    py.globals.set('probe', (frameId: number) => {
      const tstate = em._PyThreadState_Get();
      const i = (tstate + CURRENT_FRAME_OFFSET) >>> 2;
      const seen = (): number => {
        const f = em._PyThreadState_GetFrame(tstate);
        if (f !== 0) em._Py_DecRef(f);
        return f;
      };
      const withIt = seen();
      const saved = heap32()[i]!;
      heap32()[i] = 0;
      const without = seen();
      heap32()[i] = saved;
      return [withIt === frameId, without];
    });
    // The JavaScript array comes back as it went.
    const [found, without] = py.runPython('import sys\nprobe(id(sys._getframe()))') as [
      boolean,
      number,
    ];
    // The running frame is what the word points to; with the word cleared there is none.
    expect(found).toBe(true);
    expect(without).toBe(0);
  });

  it('a collection while another stack is suspended deep in C-entered frames', async () => {
    const x = gate('wait_x');
    const a = gate('wait_a');
    py.globals.set('scribble', () => {
      // Below the running stack's pointer: free C stack to Pyodide (A's part was copied aside),
      // which any C call of the running stack may overwrite. Fill it with an address far outside
      // memory, as stale data would be.
      const sp = em.stackSave();
      heap32().fill(0x7ffffff0, (sp - 256 * 1024) >>> 2, (sp - 1024) >>> 2);
    });
    py.runPython(`
import gc
from pyodide.ffi import run_sync

class _Via:
    """getattr() of a missing name calls __getattr__ from C: one entry frame on the C stack."""
    def __init__(self, then):
        self.then = then
    def __getattr__(self, name):
        return self.then(int(name[1:]))

def _down(n, then):
    if n == 0:
        return then()
    return getattr(_Via(lambda k: _down(k, then)), f"n{n - 1}")

def task_x():
    run_sync(wait_x())
    scribble()
    for _ in range(20):
        gc.collect(1)  # an increment of the incremental collector: the one that walks frames
    return "x collected"

def task_a():
    return _down(40, lambda: run_sync(wait_a()) or "a resumed")
`);
    const taskX = py.globals.get('task_x') as PyProxy & {
      callPromising(): Promise<string>;
    };
    const taskA = py.globals.get('task_a') as PyProxy & {
      callPromising(): Promise<string>;
    };
    try {
      // X first: its stack is above A's, which starts where X's suspended.
      const ranX = taskX.callPromising();
      await x.reached;
      const ranA = taskA.callPromising();
      await a.reached;
      x.release();
      expect(await ranX).toBe('x collected');
      a.release();
      expect(await ranA).toBe('a resumed');
      expect(py.runPython('6 * 7')).toBe(42);
    } finally {
      taskX.destroy();
      taskA.destroy();
    }
  });
});
