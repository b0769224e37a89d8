/**
 * Worker side: keeps CPython's garbage collector out of the C stacks of suspended Python stacks.
 *
 * With JSPI, every Python stack a `callPromising()` starts (Run Python's green threads, one each)
 * has a PyThreadState of its own for its lifetime (Pyodide #6421), and they all share the ONE
 * linear-memory C stack: when a stack suspends, Pyodide keeps its part of that C stack where it is
 * until another stack needs the room, then copies it aside and lets the other stack write over it
 * (stack_switching/stack_state.mjs, evictStackUpTo); the copy is put back when it resumes. A
 * suspended thread state's `current_frame` chain, though, runs through `_PyEntryFrame`s that
 * `_PyEval_EvalFrameDefault` keeps in C locals, on that C stack. CPython 3.14's incremental
 * collector walks the frame chain of every thread state (Python/gc.c, mark_stacks(), each
 * automatic collection): it then follows whatever another stack wrote there, dies with
 * "memory access out of bounds" or marks random memory, which kills the interpreter later
 * ("table index is out of bounds", "null function", "unreachable"). The more switches (a busy
 * machine makes more forced switches, at deeper points), the likelier.
 *
 * Pyodide fixed it after 314.0.7 (pyodide#6464, #6466): a suspended stack's `current_frame` is
 * NULL while it is suspended and put back when it resumes (the walk only spares the collector
 * work; nothing needs it to be right). Until GIL Lab's Pyodide has that, the same is done here
 * around the two functions Pyodide's C code calls to suspend and resume a stack (saveState and
 * restoreState, wasm imports), as Cloudflare's workerd does for its Pyodide.
 */

/**
 * Byte offset of `current_frame` in the PyThreadState of Pyodide 314's CPython 3.14 on wasm32 (the
 * offset workerd patches for Pyodide 314.0.6 too). suspended-frames.test.ts checks it against the
 * running frame of this very build, so a Pyodide update that moves it fails there.
 */
export const CURRENT_FRAME_OFFSET = 52;

/** What Pyodide's saveState() returns for a stack that suspends (else its error marker). */
interface SuspendState {
  threadState: number;
  /** The suspended stack's current_frame, while it reads NULL. */
  gilLabFrame?: number;
}

const isState = (s: unknown): s is SuspendState =>
  typeof s === 'object' && s !== null && typeof (s as SuspendState).threadState === 'number';

/**
 * Wraps `env.saveState` and `env.restoreState` in the imports Pyodide's module instantiates its
 * wasm with. `memory()` is the instance's memory (known once instantiated; no stack suspends
 * before).
 */
export function guardSuspendedFrames(
  imports: Record<string, Record<string, unknown>>,
  memory: () => WebAssembly.Memory,
): void {
  const env = imports['env'];
  const save = env?.['saveState'];
  const restore = env?.['restoreState'];
  // Another Pyodide build: leave it as it is (the test says so).
  if (env === undefined || typeof save !== 'function' || typeof restore !== 'function') return;
  const slot = (tstate: number): [Int32Array, number] => [
    new Int32Array(memory().buffer),
    (tstate + CURRENT_FRAME_OFFSET) >>> 2,
  ];
  const saveState = (...args: unknown[]): unknown => {
    const state: unknown = save(...args);
    if (isState(state)) {
      const [heap, i] = slot(state.threadState);
      state.gilLabFrame = heap[i]!;
      heap[i] = 0;
    }
    return state;
  };
  const restoreState = (state: unknown, ...rest: unknown[]): unknown => {
    const result: unknown = restore(state, ...rest);
    if (isState(state) && state.gilLabFrame !== undefined) {
      const [heap, i] = slot(state.threadState);
      heap[i] = state.gilLabFrame;
    }
    return result;
  };
  // Emscripten's signature tags, kept as they were.
  Object.assign(saveState, { sig: (save as { sig?: string }).sig });
  Object.assign(restoreState, { sig: (restore as { sig?: string }).sig });
  env['saveState'] = saveState;
  env['restoreState'] = restoreState;
}
