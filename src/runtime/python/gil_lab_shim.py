"""GIL Lab's shim, installed in every Pyodide interpreter before the reader's program runs.

Each "thread" here is its own interpreter in its own Web Worker; the interpreters of a run take
turns on one GIL in shared memory (as CPython's subinterpreters did before 3.12). This module
makes the standard library behave accordingly:

- the eval breaker: a SIGUSR1 handler (raised through Pyodide's interrupt buffer by a waiter
  whose switch interval ran out) hands the GIL over, like CPython's drop request;
- time.sleep, large hashlib/zlib calls and lock waits release the GIL around the blocking part;
- sys.setswitchinterval / getswitchinterval use the run's shared interval;
- threading.Thread and concurrent.futures run their targets in other interpreters: the target
  and its arguments are pickled, results and exceptions come back pickled;
- threading.Lock / RLock made by the program live in shared memory, so they really are shared;
- what cannot work this way fails fast with a message that names the limit.

The JavaScript half is the `_gil_lab_js` module (src/runtime/python/bridge.ts). Its functions
return -1 when the reader pressed Stop; the shim then raises KeyboardInterrupt.
"""

import ast
import builtins
import collections
import hashlib
import io
import itertools
import json
import linecache
import pickle
import signal
import sys
import threading
import time
import traceback
import types
import zlib
import _thread

import _gil_lab_js as _js
from pyodide.ffi import to_js

# Timeline states (src/runtime/timeline.ts) and future states (src/runtime/python/memory.ts).
_PENDING, _RUNNING, _FINISHED, _CANCELLED_STATE = 0, 1, 2, 3
# Mailbox statuses (src/runtime/python/mailbox.ts).
_OK, _ERROR, _CANCELLED, _ACCEPTED, _REFUSED = 1, 2, 3, 10, 11
# CPython's HASHLIB_GIL_MINSIZE: smaller buffers are hashed without releasing the GIL.
_NATIVE_MIN_BYTES = 2048
_SHIM_FILE = __file__

_real = {
    "sleep": time.sleep,
    "Thread": threading.Thread,
    "current_thread": threading.current_thread,
    "allocate_lock": _thread.allocate_lock,
    "RLock": threading.RLock,
}


class _Run:
    """Where this interpreter stands in the current run (reset by join())."""

    def __init__(self, config=None):
        config = config or {}
        self.lane = config.get("lane", 0)
        self.label = config.get("label", "MainThread")
        self.role = config.get("role", "main")
        self.space = config.get("space", 0)
        self.mode = config.get("mode", "gil")
        self.filename = config.get("filename", "main.py")
        self.cpu_count = config.get("cpu_count", 1)
        self.max_interpreters = config.get("max_interpreters", 8)
        self.generation = config.get("generation", 0)
        self.module = None
        self.source = ""
        self.importing = False
        self.lock_counts = collections.Counter()
        self.thread_numbers = itertools.count(1)
        self.executor_numbers = itertools.count(0)
        self.results = {}
        self.acks = {}
        self.callbacks = collections.defaultdict(list)
        self.arrival = itertools.count()
        self.arrived = {}
        self.started = []
        self.pending = []
        self.current = None
        self.initialized = set()
        self.globals_seen = {}


_run = _Run()
_generations = itertools.count(1)


class _WorkerImport(Exception):
    """Raised in a thread's interpreter when the module's definitions try to start work."""


def _ok(rc):
    if rc == -1:
        raise KeyboardInterrupt
    return rc


# ---------------------------------------------------------------- who is calling


def _program_frame(depth):
    """True if the frame `depth` levels up (skipping import machinery) is the reader's code."""
    f = sys._getframe(depth + 1)
    while f is not None and f.f_code.co_filename.startswith("<frozen"):
        f = f.f_back
    return f is not None and f.f_code.co_filename == _run.filename


def _program_line():
    """Line of the innermost frame in the reader's code."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename != _run.filename:
        f = f.f_back
    return f.f_lineno if f is not None else 0


# ---------------------------------------------------------------- eval breaker, sleep, C calls


def _on_switch_request(signum, frame):
    _ok(_js.switch_now())


def sleep(secs):
    secs = float(secs)
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    _ok(_js.sleep(secs * 1000.0))


def setswitchinterval(interval):
    interval = float(interval)
    if interval <= 0:
        raise ValueError("switch interval must be strictly positive")
    _js.set_switch_interval(interval * 1000.0)


def getswitchinterval():
    return _js.get_switch_interval() / 1000.0


def _nbytes(data):
    try:
        return memoryview(data).nbytes
    except TypeError:
        return 0


def _without_gil(call, *args, **kwargs):
    """Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS around a C call."""
    if _run.generation == 0:
        return call(*args, **kwargs)  # not in a run (booting): no GIL to release
    _js.release_native()
    try:
        return call(*args, **kwargs)
    finally:
        _ok(_js.retake())


class _ReleasingHash:
    """A hashlib object whose update() releases the GIL for large buffers, as CPython's does."""

    __slots__ = ("_h",)

    def __init__(self, h):
        self._h = h

    def update(self, data):
        if _nbytes(data) >= _NATIVE_MIN_BYTES:
            _without_gil(self._h.update, data)
        else:
            self._h.update(data)

    def digest(self, *args):
        return self._h.digest(*args)

    def hexdigest(self, *args):
        return self._h.hexdigest(*args)

    def copy(self):
        return _ReleasingHash(self._h.copy())

    name = property(lambda self: self._h.name)
    digest_size = property(lambda self: self._h.digest_size)
    block_size = property(lambda self: self._h.block_size)

    def __repr__(self):
        return repr(self._h)


def _releasing_constructor(make):
    def constructor(*args, **kwargs):
        data = kwargs.pop("data", kwargs.pop("string", None))
        if data is None and args and not isinstance(args[0], str):
            data, args = args[0], args[1:]
        h = _ReleasingHash(make(*args, **kwargs))
        if data is not None:
            h.update(data)
        return h

    return constructor


def _frozen_caller():
    return sys._getframe(2).f_code.co_filename.startswith("<frozen")


def _releasing_call(call):
    def wrapper(data, /, *args, **kwargs):
        # zipimport decompresses the standard library with zlib too: leave imports alone.
        if _nbytes(data) >= _NATIVE_MIN_BYTES and not _frozen_caller():
            return _without_gil(call, data, *args, **kwargs)
        return call(data, *args, **kwargs)

    wrapper.__name__ = call.__name__
    wrapper.__doc__ = call.__doc__
    return wrapper


# ---------------------------------------------------------------- locks in shared memory


def _lock_key():
    if _run.importing:
        # Made while the module runs: the same place makes the same lock in every interpreter.
        line = _program_line()
        n = _run.lock_counts[line]
        _run.lock_counts[line] += 1
        return ((_run.space & 0x7F) << 24) | ((line & 0xFFFF) << 8) | (n & 0xFF)
    return _js.lock_key()


class _SharedLock:
    __slots__ = ("_key", "_slot", "_gen")

    def __init__(self, key=None):
        self._key = _lock_key() if key is None else key
        self._slot = _js.lock_slot(self._key)
        self._gen = _run.generation

    def _check(self):
        if self._gen != _run.generation:
            raise RuntimeError("GIL Lab: this lock belongs to an earlier run")

    def acquire(self, blocking=True, timeout=-1):
        self._check()
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        ms = -1 if timeout == -1 else timeout * 1000.0
        return _ok(_js.lock_acquire(self._slot, bool(blocking), ms)) == 1

    def release(self):
        self._check()
        if not _js.lock_release(self._slot):
            raise RuntimeError("release unlocked lock")

    def locked(self):
        return bool(_js.lock_locked(self._slot))

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def _owned(self):
        return _js.lock_owner(self._slot) == _run.lane + 1

    def __reduce__(self):
        if _pickling_for_process:
            raise TypeError("cannot pickle '_thread.lock' object")
        return (_lock_from_key, (self._key,))

    def __repr__(self):
        state = "locked" if self.locked() else "unlocked"
        return f"<{state} _thread.lock object (shared between interpreters)>"


class _SharedRLock:
    __slots__ = ("_lock", "_count")

    def __init__(self, key=None):
        self._lock = _SharedLock(key)
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        if self._count and self._lock._owned():
            self._count += 1
            return True
        if self._lock.acquire(blocking, timeout):
            self._count = 1
            return True
        return False

    def release(self):
        if not self._count or not self._lock._owned():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if self._count == 0:
            self._lock.release()

    def locked(self):
        return self._lock.locked()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def _is_owned(self):
        return bool(self._count) and self._lock._owned()

    def __reduce__(self):
        if _pickling_for_process:
            raise TypeError("cannot pickle '_thread.RLock' object")
        return (_rlock_from_key, (self._lock._key,))

    def __repr__(self):
        return f"<_thread.RLock object count={self._count} (shared between interpreters)>"


def _lock_from_key(key):
    return _SharedLock(key)


def _rlock_from_key(key):
    return _SharedRLock(key)


def Lock():
    if _program_frame(1):
        return _SharedLock()
    return _real["allocate_lock"]()


def RLock(*args, **kwargs):
    if _program_frame(1):
        return _SharedRLock()
    return _real["RLock"](*args, **kwargs)


def _unsupported(module, name):
    real = getattr(module, name)
    message = (
        f"GIL Lab: {module.__name__}.{name} is not supported: each thread here runs in its own "
        "interpreter, so only threading.Lock and threading.RLock are shared between threads. "
        "Return results from threads instead (Future.result(), or attributes of a Thread subclass)."
    )

    def make(*args, **kwargs):
        if _program_frame(1):
            raise NotImplementedError(message)
        return real(*args, **kwargs)

    make.__name__ = name
    return make


# ---------------------------------------------------------------- talking to the coordinator


_pickling_for_process = False


def _dumps(obj, what, for_process=False):
    global _pickling_for_process
    _pickling_for_process = for_process
    try:
        return pickle.dumps(obj)
    except Exception as e:
        kind = "process" if for_process else "thread"
        raise TypeError(
            f"GIL Lab: a {kind} here is its own interpreter, so {what} is copied there with pickle, "
            f"and that failed: {e}. Define functions at module level (not lambdas or nested "
            "functions) and pass picklable arguments."
        ) from None
    finally:
        _pickling_for_process = False


def _post(fields, payload=None):
    _js.post(json.dumps(fields), None if payload is None else to_js(payload))


def _store(d):
    fid, status, payload = int(d.fid), int(d.status), d.payload.to_bytes()
    if status in (_ACCEPTED, _REFUSED):
        _run.acks[fid] = (status, payload)
        return
    if fid in _run.results:
        return
    _run.results[fid] = (status, payload)
    _run.arrived[fid] = next(_run.arrival)
    for future, fn in _run.callbacks.pop(fid, ()):
        _call_back(future, fn)


def _wait_any(fids, timeout=None, table=None):
    """Blocks (GIL released) until one of `fids` is in `table` (default: results). False on timeout."""
    table = _run.results if table is None else table
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
    while True:
        if any(f in table for f in fids):
            return True
        left = -1 if deadline is None else max(0.0, (deadline - time.monotonic()) * 1000.0)
        d = _js.await_any(json.dumps([f for f in fids if f not in table]), left)
        if isinstance(d, (int, float)):
            raise KeyboardInterrupt
        if d is None:
            return any(f in table for f in fids)
        _store(d)


def _refuse_during_import(what):
    if not _run.importing or _run.role == "main":
        return
    if _run.role == "thread":
        raise _WorkerImport(what)
    raise RuntimeError(
        "An attempt has been made to start a new process before the current process has "
        "finished its bootstrapping phase. (GIL Lab: the program runs again in each process "
        "interpreter, so put the code that starts threads and processes under "
        "`if __name__ == '__main__':`.)"
    )


def _submit(fid, executor, call, payload, name, daemon):
    _post(
        {
            "kind": "submit",
            "fid": fid,
            "executor": executor,
            "call": call,
            "name": name,
            "daemon": daemon,
            "payload": None,
        },
        payload,
    )


# ---------------------------------------------------------------- futures


class _RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


_RemoteTraceback.__module__ = "concurrent.futures.process"


def _decode_error(payload):
    if payload[:1] == b"\x00":
        return RuntimeError(payload[1:].decode())
    exc, tb_text = pickle.loads(payload)
    exc.__cause__ = _RemoteTraceback(f'\n"""\n{tb_text}"""')
    return exc


def _call_back(future, fn):
    try:
        fn(future)
    except Exception:
        print(f"exception calling callback for {future!r}", file=sys.stderr)
        traceback.print_exc()


class Future:
    """concurrent.futures.Future for a task running in another interpreter."""

    def __init__(self, fid=None):
        self._fid = fid
        self._decoded = None
        self._local = None
        self._local_callbacks = []

    def _state(self):
        if self._fid is None:
            return _PENDING if self._local is None else self._local[0]
        got = _run.results.get(self._fid)
        if got is not None:
            return _CANCELLED_STATE if got[0] == _CANCELLED else _FINISHED
        return _js.future_state(self._fid)

    def done(self):
        return self._state() in (_FINISHED, _CANCELLED_STATE)

    def running(self):
        return self._state() == _RUNNING

    def cancelled(self):
        return self._state() == _CANCELLED_STATE

    def cancel(self):
        if self._fid is None:
            return False
        if self._fid not in _run.results and _js.future_cancel(self._fid):
            _run.results[self._fid] = (_CANCELLED, b"")
            _run.arrived[self._fid] = next(_run.arrival)
            for future, fn in _run.callbacks.pop(self._fid, ()):
                _call_back(future, fn)
        return self.cancelled()

    def _wait(self, timeout):
        if self._fid is None:
            return self._local is not None
        if self._fid in _run.results:
            return True
        if _js.future_state(self._fid) == _CANCELLED_STATE:
            _run.results[self._fid] = (_CANCELLED, b"")
            return True
        return _wait_any([self._fid], timeout)

    def _outcome(self):
        if self._fid is None:
            return self._local[1:]
        if self._decoded is None:
            status, payload = _run.results[self._fid]
            if status == _OK:
                self._decoded = ("ok", pickle.loads(payload))
            elif status == _ERROR:
                self._decoded = ("error", _decode_error(payload))
            else:
                self._decoded = ("cancelled", None)
        return self._decoded

    def result(self, timeout=None):
        if not self._wait(timeout):
            raise TimeoutError()
        kind, value = self._outcome()
        if kind == "cancelled":
            raise _futures.CancelledError()
        if kind == "error":
            raise value
        return value

    def exception(self, timeout=None):
        if not self._wait(timeout):
            raise TimeoutError()
        kind, value = self._outcome()
        if kind == "cancelled":
            raise _futures.CancelledError()
        return value if kind == "error" else None

    def add_done_callback(self, fn):
        if self.done():
            _call_back(self, fn)
        elif self._fid is None:
            self._local_callbacks.append(fn)
        else:
            _run.callbacks[self._fid].append((self, fn))

    # For code that completes its own futures (tests, adapters): a purely local future.
    def set_result(self, result):
        self._local = (_FINISHED, "ok", result)
        for fn in self._local_callbacks:
            _call_back(self, fn)

    def set_exception(self, exception):
        self._local = (_FINISHED, "error", exception)
        for fn in self._local_callbacks:
            _call_back(self, fn)

    def set_running_or_notify_cancel(self):
        return True

    def __repr__(self):
        state = {0: "pending", 1: "running", 2: "finished", 3: "cancelled"}[self._state()]
        return f"<Future at {id(self):#x} state={state}>"


# ---------------------------------------------------------------- threads


class Thread:
    """threading.Thread whose run() happens in another interpreter sharing this one's GIL."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        n = next(_run.thread_numbers)
        if name is None:
            name = f"Thread-{n}"
            if target is not None and hasattr(target, "__name__"):
                name += f" ({target.__name__})"
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._name = str(name)
        self._daemonic = bool(daemon) if daemon is not None else current_thread().daemon
        self._fid = None
        self._absorbed = False

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def start(self):
        if getattr(self, "_fid", None) is not None:
            raise RuntimeError("threads can only be started once")
        _refuse_during_import("Thread.start()")
        payload = _dumps(self, f"the thread {self._name!r} (its target and arguments)")
        fid = _js.next_id()
        _submit(fid, None, "thread", payload, self._name, self._daemonic)
        _wait_any([fid], None, _run.acks)
        status, message = _run.acks.pop(fid)
        if status == _REFUSED:
            raise RuntimeError(message.decode())
        self._fid = fid
        _run.started.append(self)

    def join(self, timeout=None):
        if getattr(self, "_fid", None) is None:
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if _wait_any([self._fid], timeout):
            self._absorb()

    def _absorb(self):
        """Copies back what run() set on the thread object (CPython's caller would see it)."""
        if self._absorbed:
            return
        self._absorbed = True
        status, payload = _run.results[self._fid]
        if status == _OK and payload:
            self.__dict__.update(pickle.loads(payload))

    def is_alive(self):
        fid = getattr(self, "_fid", None)
        if fid is None:
            return False
        return fid not in _run.results and _js.future_state(fid) != _FINISHED

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_fid", None)
        state.pop("_absorbed", None)
        return state

    name = property(lambda self: self._name, lambda self, v: setattr(self, "_name", str(v)))
    ident = property(lambda self: self._fid)
    native_id = ident

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, value):
        if getattr(self, "_fid", None) is not None:
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = bool(value)

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = name

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def __repr__(self):
        status = "initial"
        if getattr(self, "_fid", None) is not None:
            status = "started" if self.is_alive() else "stopped"
        if self._daemonic:
            status += " daemon"
        return f"<{type(self).__name__}({self._name}, {status})>"


Thread.__module__ = "threading"


class _NamedThread(Thread):
    """current_thread() of the main program or of an executor task."""

    def __init__(self, name, ident):
        self._target, self._args, self._kwargs = None, (), {}
        self._name = name
        self._daemonic = False
        self._fid = ident
        self._absorbed = True

    def is_alive(self):
        return True


_main_thread = _NamedThread("MainThread", 0)


def current_thread():
    return _run.current or _main_thread


def main_thread():
    return _main_thread


def get_ident():
    return _run.lane + 1


def _threads():
    return [current_thread()] + [t for t in _run.started if t.is_alive()]


def active_count():
    return len(_threads())


# ---------------------------------------------------------------- executors


class _Executor:
    _pool = "thread"

    def __init__(self, max_workers, initializer, initargs, prefix):
        explicit = max_workers is not None
        if max_workers is None:
            max_workers = self._default_workers()
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._id = _js.next_id()
        self._futures = []
        self._shutdown = False
        if _run.importing and _run.role != "main":
            return  # Made by the module's definitions in a worker interpreter: never used.
        init = None
        if initializer is not None:
            init = _dumps((initializer, tuple(initargs)), "the initializer", self._pool == "process")
        _post(
            {
                "kind": "executor",
                "id": self._id,
                "pool": self._pool,
                "maxWorkers": max_workers,
                "explicit": explicit,
                "prefix": prefix,
                "initializer": None,
            },
            init,
        )

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        _refuse_during_import("submit()")
        name = getattr(fn, "__name__", "task")
        payload = _dumps((fn, args, kwargs), f"the task {name!r} and its arguments", self._pool == "process")
        fid = _js.next_id()
        _submit(fid, self._id, "call", payload, name, False)
        future = Future(fid)
        self._futures.append(future)
        _run.pending.append(future)
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        end = None if timeout is None else time.monotonic() + timeout
        fs = [self.submit(fn, *args) for args in zip(*iterables)]

        def results():
            try:
                fs.reverse()
                while fs:
                    left = None if end is None else end - time.monotonic()
                    yield fs.pop().result(left)
            finally:
                for f in fs:
                    f.cancel()

        return results()

    def shutdown(self, wait=True, *, cancel_futures=False):
        if cancel_futures:
            for f in self._futures:
                f.cancel()
        self._shutdown = True
        if wait:
            for f in self._futures:
                f._wait(None)
        _post({"kind": "shutdown", "executor": self._id})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown(wait=True)
        return False


class ThreadPoolExecutor(_Executor):
    _pool = "thread"

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None, initargs=()):
        prefix = thread_name_prefix or f"ThreadPoolExecutor-{next(_run.executor_numbers)}"
        super().__init__(max_workers, initializer, initargs, prefix)

    @staticmethod
    def _default_workers():
        return min(32, _run.cpu_count + 4)


class ProcessPoolExecutor(_Executor):
    _pool = "process"

    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        super().__init__(max_workers, initializer, initargs, "Process")

    @staticmethod
    def _default_workers():
        return _run.cpu_count


def _ids(fs):
    return [f._fid for f in fs if f._fid is not None and not f.done()]


def wait(fs, timeout=None, return_when="ALL_COMPLETED"):
    fs = set(fs)
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        done = {f for f in fs if f.done()}
        not_done = fs - done
        if not not_done:
            break
        if return_when == "FIRST_COMPLETED" and done:
            break
        if return_when == "FIRST_EXCEPTION" and any(
            not f.cancelled() and f.exception() is not None for f in done
        ):
            break
        left = None if end is None else end - time.monotonic()
        if left is not None and left <= 0:
            break
        if not _wait_any(_ids(not_done), left):
            break
    return _futures._base.DoneAndNotDoneFutures(done, fs - done)


def as_completed(fs, timeout=None):
    fs = list(dict.fromkeys(fs))
    total = len(fs)
    end = None if timeout is None else time.monotonic() + timeout
    pending = set(fs)
    while pending:
        for f in pending:
            if f._fid is not None and f.done() and f._fid not in _run.results:
                f._wait(None)  # finished: fetch its outcome now, so arrival order is known
        ready = [f for f in pending if f.done()]
        if not ready:
            left = None if end is None else end - time.monotonic()
            if (left is not None and left <= 0) or not _wait_any(_ids(pending), left):
                raise TimeoutError(f"{len(pending)} (of {total}) futures unfinished")
            continue
        ready.sort(key=lambda f: _run.arrived.get(f._fid, -1))
        for f in ready:
            pending.discard(f)
            yield f


# ---------------------------------------------------------------- imports


_NO_PACKAGES = (
    "GIL Lab: {name} is not available here: the interpreter has only Python's standard "
    "library (no packages such as numpy)"
)
_BLOCKED = {
    "socket": "GIL Lab: sockets are not available in the browser (import socket)",
    "ssl": "GIL Lab: sockets are not available in the browser (import ssl)",
    "socketserver": "GIL Lab: sockets are not available in the browser (import socketserver)",
    **{
        name: _NO_PACKAGES.format(name=name)
        for name in ("numpy", "pandas", "scipy", "matplotlib", "numba", "torch", "requests")
    },
}


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """builtins.__import__: refuses what cannot work here when the reader's module imports it
    (some of it, like socket, is already loaded, so a finder on sys.meta_path would not see it)."""
    if level == 0 and globals is not None and globals.get("__file__") == _run.filename:
        message = _BLOCKED.get(name.partition(".")[0])
        if message is not None:
            raise ModuleNotFoundError(message, name=name)
    return _real_import(name, globals, locals, fromlist, level)


_real_import = builtins.__import__


class _MissingImports:
    """Last on sys.meta_path: a clearer message for any other module that is not here."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if path is None and _program_frame(1):
            raise ModuleNotFoundError(_NO_PACKAGES.format(name=f"the module '{name}'"), name=name)
        return None


# ---------------------------------------------------------------- the program


def _user_traceback(tb):
    """Drops the shim's own frames from the start of a traceback."""
    while tb is not None and tb.tb_frame.f_code.co_filename != _run.filename:
        if tb.tb_next is None:
            break
        tb = tb.tb_next
    return tb


def _format(e):
    return "".join(traceback.format_exception(type(e), e, _user_traceback(e.__traceback__)))


def _error(e):
    return {"type": type(e).__name__, "message": str(e), "traceback": _format(e)}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _new_module(name):
    module = types.ModuleType(name)
    module.__file__ = _run.filename
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.modules["__mp_main__"] = module
    _run.module = module
    return module


def _definitions_only(tree):
    """What a thread's interpreter runs of the module: imports, definitions and assignments."""
    keep = (
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
        ast.Try,
    )
    return [node for node in tree.body if isinstance(node, keep)]


def _import_program():
    """Runs the module in this (non-main) interpreter as `__mp_main__`."""
    module = _new_module("__mp_main__")
    tree = ast.parse(_run.source, _run.filename)
    _run.importing = True
    saved = sys.stdout, sys.stderr
    try:
        if _run.role == "process":
            # A spawned process runs the whole module again (its __main__ part excepted).
            exec(compile(tree, _run.filename, "exec"), module.__dict__)
            return
        # A thread shares the program's module in CPython: run only its definitions, quietly.
        sys.stdout = sys.stderr = io.StringIO()
        for node in _definitions_only(tree):
            code = compile(ast.Module([node], []), _run.filename, "exec")
            try:
                exec(code, module.__dict__)
            except (_WorkerImport, Exception):
                pass
    finally:
        sys.stdout, sys.stderr = saved
        _run.importing = False
        _run.globals_seen = _globals_fingerprint()


def join(config_json, source):
    """Joins a run: fresh state and module; the non-main interpreters import the program."""
    global _run
    config = json.loads(config_json)
    config["generation"] = next(_generations)
    _run = _Run(config)
    _run.source = source
    linecache.cache[_run.filename] = (len(source), None, source.splitlines(True), _run.filename)
    if _run.role == "main":
        return {"ok": True, "error": None}
    try:
        _import_program()
        return {"ok": True, "error": None}
    except BaseException as e:
        return {"ok": False, "error": _error(e)}


def _wait_at_exit():
    """What CPython does at exit: wait for non-daemon threads and for executors' work."""
    for t in list(_run.started):
        if not t.daemon:
            t.join()
    for f in list(_run.pending):
        f._wait(None)


def run_main():
    module = _new_module("__main__")
    error = None
    try:
        _run.importing = True
        try:
            exec(compile(_run.source, _run.filename, "exec"), module.__dict__)
        finally:
            _run.importing = False
        _wait_at_exit()
    except SystemExit as e:
        if e.code not in (None, 0):
            error = _error(e)
            print(e.code if isinstance(e.code, str) else "", file=sys.stderr)
    except BaseException as e:
        error = _error(e)
        print(error["traceback"], end="", file=sys.stderr)
        if not isinstance(e, KeyboardInterrupt):
            try:
                _wait_at_exit()
            except BaseException:
                pass
    _flush()
    return {"ok": error is None, "error": error}


# ---------------------------------------------------------------- tasks in other interpreters


def _fingerprint(value):
    if isinstance(value, (list, dict, set, bytearray)):
        if len(value) > 100_000:
            return ("len", len(value))
        try:
            return pickle.dumps(value)
        except Exception:
            return ("len", len(value))
    return None


def _globals_fingerprint():
    if _run.module is None:
        return {}
    return {
        name: (id(value), _fingerprint(value))
        for name, value in vars(_run.module).items()
        if not name.startswith("__")
    }


def _warn_lost_changes(who, args_before, args_after):
    """A thread's changes to globals or arguments stay in its interpreter: say so, loudly."""
    if _run.role != "thread":
        return
    now = _globals_fingerprint()
    changed = [name for name, seen in now.items() if _run.globals_seen.get(name) != seen]
    _run.globals_seen = now
    notes = []
    if changed:
        names = ", ".join(repr(n) for n in changed)
        notes.append(f"changed the global{'s' if len(changed) > 1 else ''} {names}")
    for i, (before, after) in enumerate(zip(args_before, args_after)):
        if before is not None and before != after:
            notes.append(f"changed its argument #{i + 1}")
    if notes:
        print(
            f"GIL Lab warning: {who} {' and '.join(notes)}, but each thread here runs in its own "
            "interpreter (like a subinterpreter), so the main program will not see that change. "
            "Return results instead (Future.result(), or attributes of a Thread subclass).",
            file=sys.stderr,
        )


def _args_fingerprints(args, kwargs):
    return [_fingerprint(a) for a in list(args) + list(kwargs.values())]


def _initialize(executor_id, initializer):
    if not executor_id or initializer is None or executor_id in _run.initialized:
        return
    _run.initialized.add(executor_id)
    fn, args = pickle.loads(initializer.to_bytes())
    fn(*args)


def _run_thread(payload):
    thread = pickle.loads(payload)
    thread._fid = -1
    thread._absorbed = True
    _run.current = thread
    before = _args_fingerprints(thread._args, thread._kwargs)
    try:
        thread.run()
    except SystemExit:
        pass
    except BaseException as e:
        if not (isinstance(e, KeyboardInterrupt) and _js.stopped()):
            print(f"Exception in thread {thread.name}:\n{_format(e)}", end="", file=sys.stderr)
    finally:
        _run.current = None
    _warn_lost_changes(thread.name, before, _args_fingerprints(thread._args, thread._kwargs))
    state = {}
    for key, value in thread.__getstate__().items():
        try:
            pickle.dumps(value)
            state[key] = value
        except Exception:
            pass
    return pickle.dumps(state)


def _pickled_error(e):
    text = _format(e)
    try:
        return pickle.dumps((e, text))
    except Exception:
        return pickle.dumps((RuntimeError(f"{type(e).__name__}: {e}"), text))


def run_task(kind, payload, name, executor_id, initializer):
    """Runs one task; returns (status, payload bytes as a Uint8Array)."""
    data = payload.to_bytes()
    try:
        _initialize(executor_id, initializer)
        if kind == "thread":
            out = (_OK, _run_thread(data))
        else:
            fn, args, kwargs = pickle.loads(data)
            _run.current = _NamedThread(name if _run.role == "thread" else "MainThread", _run.lane + 1)
            before = _args_fingerprints(args, kwargs)
            try:
                value = fn(*args, **kwargs)
            finally:
                _run.current = None
            _warn_lost_changes(f"the task {name!r}", before, _args_fingerprints(args, kwargs))
            out = (_OK, pickle.dumps(value))
    except BaseException as e:
        out = (_ERROR, _pickled_error(e))
    _flush()
    return (out[0], to_js(out[1]))


# ---------------------------------------------------------------- bench helper


def countdown_ms(n):
    t0 = time.perf_counter()
    while n > 0:
        n -= 1
    return (time.perf_counter() - t0) * 1000.0


# ---------------------------------------------------------------- install


def install(cpu_count):
    """Patches the standard library once, when the interpreter boots."""
    _run.cpu_count = int(cpu_count)
    signal.signal(signal.SIGUSR1, _on_switch_request)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    time.sleep = sleep
    sys.setswitchinterval = setswitchinterval
    sys.getswitchinterval = getswitchinterval

    names = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s")
    names += ("sha3_224", "sha3_256", "sha3_384", "sha3_512")
    for name in names:
        if hasattr(hashlib, name):
            setattr(hashlib, name, _releasing_constructor(getattr(hashlib, name)))
    new = hashlib.new
    hashlib.new = lambda name, data=b"", **kw: _releasing_constructor(
        lambda **k: new(name, **k)
    )(data, **kw)
    zlib.compress = _releasing_call(zlib.compress)
    zlib.decompress = _releasing_call(zlib.decompress)

    threading.Thread = Thread
    threading.Lock = Lock
    threading.RLock = RLock
    threading.current_thread = threading.currentThread = current_thread
    threading.main_thread = main_thread
    threading.get_ident = get_ident
    threading.enumerate = _threads
    threading.active_count = threading.activeCount = active_count
    for name in ("Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "Timer"):
        setattr(threading, name, _unsupported(threading, name))
    import queue

    for name in ("Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"):
        setattr(queue, name, _unsupported(queue, name))

    global _futures
    import concurrent.futures as _futures

    for module in (_futures, sys.modules.get("concurrent.futures._base")):
        if module is None:
            continue
        module.Future = Future
        module.wait = wait
        module.as_completed = as_completed
    _futures.ThreadPoolExecutor = ThreadPoolExecutor
    _futures.ProcessPoolExecutor = ProcessPoolExecutor
    builtins.__import__ = _guarded_import
    sys.meta_path.append(_MissingImports)


_futures = None
