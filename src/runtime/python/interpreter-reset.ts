/**
 * Worker side: every run starts from a clean interpreter, as `python3 file.py` does. Interpreters
 * stay warm between runs (booting one takes seconds), so what a run changed in the interpreter
 * (builtins.print, time.perf_counter, a class's method, sys.path, os.environ, a signal handler, a
 * module it imported, a file it wrote in /tmp or its working directory) is put back after it, from
 * a snapshot taken once the interpreter had booted and the shim had patched the standard library. An interpreter the run killed (os._exit), corrupted
 * (a fatal error) or grew past the memory limit is not reused at all: `afterRun` says so, and the
 * page discards it (interpreters.ts). Both Run Python runners use this through python.api.ts.
 */
import type { PyodideAPI } from 'pyodide';
import { importSource } from './pyodide-loader.ts';

/** A warm interpreter whose WebAssembly memory grew past this is discarded after its run. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * The Python half (module `gil_lab_reset`). Restoring a module's dict entry by entry, instead of
 * discarding the interpreter after every run, costs a few ms against a boot of seconds.
 */
export const RESET_SOURCE = String.raw`
"""Snapshot of the interpreter's state after boot; restore() puts it back after each run."""
import gc
import os
import signal
import sys

_IMMUTABLE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: static and immutable types cannot be changed
_MISSING = object()
_PER_RUN = ("__main__", "__mp_main__")
# Where a program writes files: /tmp, and its working directory /home/pyodide. A file or folder
# a run made there is gone before the next run, as on a fresh process's clean machine.
_SCRATCH = ("/tmp", "/home")


def _entries():
    """Every file and folder under _SCRATCH."""
    found = set()
    for top in _SCRATCH:
        for folder, dirs, files in os.walk(top):
            found.update(os.path.join(folder, name) for name in dirs + files)
    return found


def _remove_new(kept):
    """Removes what is under _SCRATCH and not in kept, deepest first."""
    for top in _SCRATCH:
        for folder, dirs, files in os.walk(top, topdown=False):
            for name in files + dirs:
                path = os.path.join(folder, name)
                if path in kept:
                    continue
                try:
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.rmdir(path)
                    else:
                        os.unlink(path)
                except OSError:
                    pass


def _copy(value):
    """A shallow copy of a plain list / dict / set a module holds (sys.path, warnings.filters…)."""
    kind = type(value)
    if kind is list:
        return list(value)
    if kind is dict:
        return dict(value)
    if kind is set:
        return set(value)
    return _MISSING


def _same_items(a, b):
    if len(a) != len(b):
        return False
    if type(a) is dict:
        return all(k in b and b[k] is v for k, v in a.items())
    if type(a) is set:
        return a == b
    return all(x is y for x, y in zip(a, b))


class _Snapshot:
    def __init__(self):
        self.sys_modules = sys.modules
        self.modules = dict(sys.modules)
        # builtins first: restore() puts it back before anything else.
        self.dicts = [(vars(sys.modules["builtins"]), dict(vars(sys.modules["builtins"])))]
        self.classes = {}
        self.containers = {}
        for name, module in self.modules.items():
            space = getattr(module, "__dict__", None)
            if name in _PER_RUN or name == "builtins" or type(space) is not dict:
                continue
            self.dicts.append((space, dict(space)))
            for value in space.values():
                if isinstance(value, type):
                    if not value.__flags__ & _IMMUTABLE and id(value) not in self.classes:
                        self.classes[id(value)] = (value, dict(value.__dict__))
                elif id(value) not in self.containers:
                    copy = _copy(value)
                    if copy is not _MISSING:
                        self.containers[id(value)] = (value, copy)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.entries = _entries()
        self.recursion_limit = sys.getrecursionlimit()
        self.int_digits = sys.get_int_max_str_digits()
        self.gc = (gc.isenabled(), gc.get_threshold())
        self.signals = {}
        for number in signal.valid_signals():
            try:
                self.signals[number] = signal.getsignal(number)
            except (ValueError, OSError):
                pass

    def restore(self):
        # Module dicts first, with nothing but syntax and dict methods: until they are back, any
        # builtin or module function this code called could be the run's replacement.
        for space, saved in self.dicts:
            for key in [k for k in space if k not in saved]:
                del space[key]
            for key, value in saved.items():
                if space.get(key, _MISSING) is not value:
                    space[key] = value
        modules = self.sys_modules
        for name in [n for n in modules if n not in self.modules]:
            del modules[name]
        for name, module in self.modules.items():
            if modules.get(name, _MISSING) is not module:
                modules[name] = module
        sys.settrace(None)
        sys.setprofile(None)
        for cls, saved in self.classes.values():
            current = cls.__dict__
            for key in [k for k in current if k not in saved]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if current.get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass
        for value, saved in self.containers.values():
            if not _same_items(value, saved):
                if type(value) is list:
                    value[:] = saved
                else:
                    value.clear()
                    value.update(saved)
        if dict(os.environ) != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        try:
            os.chdir(self.cwd)
        except OSError:
            pass
        _remove_new(self.entries)
        sys.setrecursionlimit(self.recursion_limit)
        sys.set_int_max_str_digits(self.int_digits)
        (gc.enable if self.gc[0] else gc.disable)()
        gc.set_threshold(*self.gc[1])
        for number, handler in self.signals.items():
            if signal.getsignal(number) is not handler and handler is not None:
                try:
                    signal.signal(number, handler)
                except (ValueError, OSError, TypeError):
                    pass
        gc.collect()


def take():
    """Takes the snapshot; returns its restore method. The module then leaves sys.modules (and
    the file system), so a program cannot import it to change what restore() does."""
    sys.modules.pop(__name__, None)
    return _Snapshot().restore
`;

interface EmscriptenModule {
  HEAP8: Int8Array;
}

/** What a worker knows about its interpreter after a run. */
export interface InterpreterHealth {
  /** False: discard it (the page boots a fresh one when needed). */
  reusable: boolean;
  /** Why it cannot be reused, for the page's log and the tests. */
  reason: string | null;
  /** Size of the interpreter's WebAssembly memory, bytes (it never shrinks). */
  heapBytes: number;
}

function heapBytes(py: PyodideAPI): number {
  try {
    return (py as unknown as { _module: EmscriptenModule })._module.HEAP8.buffer.byteLength;
  } catch {
    return 0;
  }
}

/** Puts the interpreter back as it was when snapshotInterpreter() was called. */
export type RestoreInterpreter = () => void;

/** Loads the reset module and takes the snapshot (after the shim's install()). */
export function snapshotInterpreter(py: PyodideAPI): RestoreInterpreter {
  const path = '/home/pyodide/gil_lab_reset.py';
  // Compiled into the snapshot when it is this text (scripts/python-snapshot.mjs).
  const module = importSource(py, 'gil_lab_reset', path, RESET_SOURCE);
  py.FS.unlink(path);
  try {
    return (module as unknown as { take: () => RestoreInterpreter }).take();
  } finally {
    module.destroy();
  }
}

/**
 * After a run: is the interpreter alive (os._exit and fatal errors leave Pyodide unusable), small
 * enough, and put back as it was? Never throws.
 */
export function afterRun(
  py: PyodideAPI | null,
  restore: RestoreInterpreter | null,
  failure: string | null,
  limitBytes = DEFAULT_MEMORY_LIMIT_BYTES,
): InterpreterHealth {
  if (py === null || restore === null)
    return { reusable: false, reason: 'not booted', heapBytes: 0 };
  const size = heapBytes(py);
  if (failure !== null) return { reusable: false, reason: failure, heapBytes: size };
  if (size > limitBytes)
    return {
      reusable: false,
      reason: `memory grew to ${Math.round(size / 2 ** 20)} MiB (limit ${Math.round(limitBytes / 2 ** 20)} MiB)`,
      heapBytes: size,
    };
  try {
    restore();
    return { reusable: true, reason: null, heapBytes: heapBytes(py) };
  } catch (e) {
    return {
      reusable: false,
      reason: `could not be reset: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      heapBytes: size,
    };
  }
}

/** The first line of what Pyodide threw. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/**
 * What the reader is told when the program ended or broke its interpreter; `thread`: it happened
 * in that thread (its own interpreter), which ends the whole program, as os._exit or a fatal
 * error in any thread ends CPython's process.
 */
export function lostMessage(cause: string, thread?: string): string {
  const exited = /exit/i.test(cause);
  if (thread !== undefined)
    return `${thread} ended the program (os._exit or a fatal error: ${cause}); as in CPython, every thread ended with it. The next run gets a fresh interpreter.`;
  return exited
    ? `The program ended its Python interpreter (os._exit or a fatal error: ${cause}). The next run gets a fresh one.`
    : `The Python interpreter failed (${cause}). The next run gets a fresh one.`;
}
