"""GIL Lab's `_thread` for green threads: every thread of a program is its own Python call stack
in ONE interpreter, switched with JavaScript Promise Integration (pyodide.ffi.run_sync).

The standard library's own `threading`, `queue` and `concurrent.futures` are imported afresh
for each run on top of this module (installed as sys.modules["_thread"]), so they run
unmodified. The scheduler is JavaScript (green/scheduler.ts, module `_gil_lab_sched`): it keeps
the ready queue, the blocked and sleeping threads, and hands the one GIL to one stack at a time.

A stack gives the GIL up only here: in `_suspend()`, called by a blocking wait (lock, join,
sleep) or by the SIGUSR1 handler, which CPython's own eval breaker runs when the switch
interval is over and another thread wants the GIL (the drop request of CPython's
ceval_gil.c, delivered through Pyodide's interrupt buffer).
"""

import builtins
import signal
import sys
import time
import traceback
import types
import linecache
from collections import deque

import _asyncio
import _gil_lab_sched as _js
from asyncio import events as _asyncio_events
from pyodide.ffi import create_proxy, run_sync

# The running asyncio loop of the running stack (each stack has its own, as each thread has).
_get_running_loop = _asyncio._get_running_loop
_set_running_loop = _asyncio._set_running_loop
# Pyodide's own event loop (its WebLoop), which JavaScript's event loop runs: see _suspend().
_webloop = _asyncio_events._get_event_loop_policy().get_event_loop()

_real = sys.modules["_thread"]

# The output panel is not a terminal: tracebacks without ANSI colours (3.14 colours them on a tty).
import os as _os

_os.environ["PYTHON_COLORS"] = "0"

# ---------------------------------------------------------------------------------------------
# The running thread. Python alone cannot tell which stack runs: the scheduler restores
# `_current` whenever a stack resumes. `_in_green` is set exactly while a green stack runs
# Python (cleared around each run_sync), so a signal that arrives while Pyodide runs a callback
# of its own (not a callPromising stack) never tries to switch (see green-threads-notes.md).

_MAIN = 0
_current = _MAIN
_in_green = False

# What a suspended stack is resumed with.
WOKEN, TIMED_OUT, STOPPED, DEADLOCK = 1, 0, -1, -2


class Deadlock(BaseException):
    """Raised in the main thread when every thread waits with nothing that can wake one."""


def _unwind(code):
    """Ends the running stack after Stop or a deadlock (SystemExit is silent in threads)."""
    if _current != _MAIN:
        raise SystemExit
    if code == DEADLOCK:
        raise Deadlock()
    raise KeyboardInterrupt


def _suspend(post, *args):
    """Suspends this stack on the promise `post(*args)` returns (a call of the scheduler,
    `_gil_lab_sched`) until the scheduler resumes it; returns what it was resumed with.

    Pyodide turns a promise that reaches Python into a Future of the running asyncio loop, and
    runs Python code of its own while it converts arguments (isinstance checks through abc),
    from which no stack can switch: the call is made with switch requests not served, and with
    Pyodide's WebLoop as the running loop (JavaScript's event loop drives it; a program's loop,
    blocked in this very wait, would never resolve that Future). The program's running loop
    is put back when the stack resumes."""
    global _current, _in_green
    me = _current
    loop = _get_running_loop()
    _in_green = False
    try:
        _set_running_loop(_webloop)
        try:
            code = run_sync(post(*args))
        finally:
            _set_running_loop(loop)
    finally:
        _current = me
        _in_green = True
        # This stack runs Python again: its CPU time (time.process_time) counts from here, not
        # from the event-loop turn that resumed it.
        _js.cpu_start(me)
    if code < 0:
        _unwind(code)
    return code


def _js_bytes(data):
    """`data`'s bytes in a JavaScript Uint8Array, to pass to a JavaScript function. Passed as
    they are, bytes become a proxy that Pyodide converts by running Python code of its own
    (isinstance checks through abc), where a signal handler could run, and no stack can switch;
    assign() copies the buffer in C."""
    buf = _js.buffer(len(data))
    buf.assign(data)
    return buf


# Frames of threading's own machinery around a thread's target: never "where" a thread waits.
_BOOTSTRAP = {"Thread.run", "Thread._bootstrap", "Thread._bootstrap_inner"}


def _api_name(f):
    owner = f.f_locals.get("self")
    qual = f.f_code.co_qualname
    if owner is not None and "." not in qual:
        qual = f"{type(owner).__name__}.{qual}"
    return f.f_globals.get("__name__", "?"), qual


def _where():
    """Where the running thread waits, for a deadlock report: its innermost frame in the program,
    with the library call it waits in; else (a thread whose target is a library function, or the
    exit's wait for threads) that call."""
    f = sys._getframe(2)
    api = None  # the library call made from the program (the last one seen walking outwards)
    outer = None  # the outermost library call that is not threading's bootstrap
    while f is not None:
        name = f.f_code.co_filename
        if name == _program_file:
            line = linecache.getline(name, f.f_lineno).strip()
            text = f'File "{name}", line {f.f_lineno}, in {f.f_code.co_name}'
            if line:
                text += f"\n    {line}"
            if api:
                text += f"\n  (waiting in {api})"
            return text
        if not name.endswith("green_thread.py"):
            module, qual = _api_name(f)
            if module == "threading" and qual == "_shutdown":
                return (
                    "at exit: threading._shutdown() waits for every non-daemon thread to end "
                    "(make the thread a daemon, or let it finish)"
                )
            api = f"{module}.{qual}()"
            if not (module == "threading" and qual in _BOOTSTRAP):
                outer = api
        f = f.f_back
    if outer:
        return f"(waiting in {outer})"
    return "(waiting)"


def _block(timeout, token):
    """Waits until woken with `token` (True) or until `timeout` seconds passed (False); None: no
    timeout. A wake that comes first (a switch can fall between joining a waiter list and
    blocking) makes the block return at once; a stale token from an earlier wait never does."""
    ms = -1 if timeout is None else max(0.0, timeout * 1000.0)
    return _suspend(_js.block, _current, ms, "blocked", _where(), token) == WOKEN


def _wake(tid, token):
    _js.wake(tid, token)


_tokens = __import__("itertools").count(1)


def _on_switch_request(signum, frame):
    """SIGUSR1: CPython's drop request. Hands the GIL to the next thread waiting for it."""
    if _js.switch_request(_current, _in_green):
        _suspend(_js.yield_gil, _current)


def _on_flush_request(signum, frame):
    """SIGUSR2: post the output held back while Python only computes."""
    _js.flush_output()


def _on_sigint(signum, frame):
    """Stop: KeyboardInterrupt in the main thread; other threads end silently.

    A SIGINT that lands while Pyodide runs a callback of its own (no green stack runs Python:
    `_in_green` is False) is left for later: raising there ends the callback, not the thread,
    and prints the callback's frames (webloop.py, this file, SystemExit) under the thread's name.
    The Stop is not marked seen, so the ticker raises it again (STOP_AGAIN_MS, control.ts) and a
    later one lands in the thread; if every thread waits, the idle Stop ends the run instead."""
    if not _in_green:
        return
    _js.stop_requested()
    _unwind(STOPPED)


# ---------------------------------------------------------------------------------------------
# The `_thread` API that Lib/threading.py (3.14) uses.

error = _real.error
TIMEOUT_MAX = _real.TIMEOUT_MAX
_excepthook = _real._excepthook
_ExceptHookArgs = _real._ExceptHookArgs
stack_size = _real.stack_size

# Idents look like CPython's (large, distinct from native ids); native ids like small TIDs.
_IDENT_BASE = 0x7F3A_1C00_0000
_IDENT_STEP = 0x80_0000


def _ident(tid):
    return _IDENT_BASE + tid * _IDENT_STEP


def get_ident():
    return _ident(_current)


def get_native_id():
    return _native_base + _current


_native_base = 4200


def _get_main_thread_ident():
    return _ident(_MAIN)


def _is_main_interpreter():
    return True


def daemon_threads_allowed():
    return True


def set_name(name):
    _js.set_name(_current, str(name))


_fair_after = 0.001  # Python/lock.c: TIME_TO_BE_FAIR_NS, a waiter older than 1 ms gets handoff


class LockType:
    """`_thread.lock`: the waiter queue is FIFO; a release wakes the first waiter, and hands the
    lock over directly once it has waited 1 ms, as CPython's PyMutex does (Python/lock.c)."""

    __slots__ = ("_locked", "_waiters", "__weakref__")

    def __init__(self):
        self._locked = False
        self._waiters = deque()  # [tid, since, handed, token]

    def acquire(self, blocking=True, timeout=-1):
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        if not self._locked:
            self._locked = True
            return True
        if not blocking:
            return False
        if timeout > TIMEOUT_MAX:
            raise OverflowError("timeout value is too large")
        deadline = None if timeout == -1 else time.monotonic() + timeout
        while True:
            me = [_current, time.monotonic(), False, next(_tokens)]
            self._waiters.append(me)
            # A switch may fall anywhere here (CPython checks its eval breaker after C calls):
            # every step re-checks what a release in between may have done.
            try:
                if not me[2] and self._locked:
                    left = None if deadline is None else max(0.0, deadline - time.monotonic())
                    _block(left, me[3])
            finally:
                if me in self._waiters:
                    self._waiters.remove(me)
            if me[2]:
                return True  # handed over: still locked, now ours
            if not self._locked:
                self._locked = True
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def release(self):
        if not self._locked:
            raise RuntimeError("release unlocked lock")
        if self._waiters:
            first = self._waiters.popleft()
            if time.monotonic() - first[1] >= _fair_after:
                first[2] = True  # direct handoff: the lock stays locked
            else:
                self._locked = False
            _wake(first[0], first[3])
        else:
            self._locked = False

    def locked(self):
        return self._locked

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle '_thread.lock' object")

    def _at_fork_reinit(self):
        self._locked = False
        self._waiters.clear()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __repr__(self):
        state = "locked" if self._locked else "unlocked"
        return f"<{state} _thread.lock object at {id(self):#x}>"


LockType.__module__ = "_thread"
LockType.__name__ = LockType.__qualname__ = "lock"
lock = LockType


def allocate_lock():
    return LockType()


allocate = allocate_lock


class _ThreadHandle:
    """What Thread.join() waits on (Modules/_threadmodule.c's ThreadHandle)."""

    __slots__ = ("_ident", "_done", "_joiners", "_started", "__weakref__")

    def __init__(self):
        self._ident = None
        self._done = False
        self._joiners = []
        self._started = False

    @property
    def ident(self):
        return self._ident

    def is_done(self):
        return self._done

    def _set_done(self):
        self._done = True
        joiners, self._joiners = self._joiners, []
        for tid, token in joiners:
            _wake(tid, token)

    def join(self, timeout=None):
        if self._done:
            return
        if self._ident == get_ident():
            raise RuntimeError("Cannot join current thread")
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while not self._done:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            me = (_current, next(_tokens))
            self._joiners.append(me)
            try:
                if not self._done:
                    _block(left, me[1])
            finally:
                if me in self._joiners:
                    self._joiners.remove(me)

    def __repr__(self):
        return f"<_thread._ThreadHandle object: ident={self._ident}>"


_MISSING = object()


def _lookup(cls, name):
    for k in cls.__mro__:
        if name in k.__dict__:
            return k.__dict__[name]
    return _MISSING


def _is_data_descriptor(attr):
    t = type(attr)
    return hasattr(t, "__get__") and (hasattr(t, "__set__") or hasattr(t, "__delete__"))


class _local:
    """`_thread._local` (threading.local): one attribute dict per thread. Attributes are looked
    up in the running thread's dict explicitly, never by swapping `__dict__`, so a switch in
    the middle of an access cannot mix two threads' values. A thread's first access runs the
    subclass's __init__ again with the constructor's arguments, as CPython does."""

    __slots__ = ("_local__impl", "__weakref__")

    def __new__(cls, /, *args, **kw):
        if (args or kw) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, "_local__impl", ({_current: {}}, args, kw))
        return self

    def __getattribute__(self, name):
        d = _local_dict(self)
        if name == "__dict__":
            return d
        cls = type(self)
        attr = _lookup(cls, name)
        if attr is not _MISSING and _is_data_descriptor(attr):
            return type(attr).__get__(attr, self, cls)
        if name in d:
            return d[name]
        if attr is not _MISSING:
            get = getattr(type(attr), "__get__", None)
            return attr if get is None else get(attr, self, cls)
        getattr_ = _lookup(cls, "__getattr__")
        if getattr_ is not _MISSING:
            return getattr_(self, name)
        raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name, value):
        if name == "__dict__":
            raise AttributeError(
                f"{type(self).__name__!r} object attribute '__dict__' is read-only"
            )
        d = _local_dict(self)
        attr = _lookup(type(self), name)
        if attr is not _MISSING and hasattr(type(attr), "__set__"):
            type(attr).__set__(attr, self, value)
        else:
            d[name] = value

    def __delattr__(self, name):
        if name == "__dict__":
            raise AttributeError(
                f"{type(self).__name__!r} object attribute '__dict__' is read-only"
            )
        d = _local_dict(self)
        attr = _lookup(type(self), name)
        if attr is not _MISSING and hasattr(type(attr), "__delete__"):
            type(attr).__delete__(attr, self)
        elif name in d:
            del d[name]
        else:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


_local.__module__ = "_thread"


def _local_dict(self):
    dicts, args, kw = object.__getattribute__(self, "_local__impl")
    d = dicts.get(_current)
    if d is None:
        d = dicts[_current] = {}
        init = type(self).__init__
        if init is not object.__init__:
            init(self, *args, **kw)
    return d


def _make_thread_handle(ident):
    handle = _ThreadHandle()
    handle._ident = ident
    handle._started = True
    return handle


_non_daemon = []  # handles _shutdown() joins
_running = {}  # tid -> handle, threads started and not ended


def _count():
    return len(_running)


def start_joinable_thread(function, handle=None, daemon=True):
    if handle is None:
        handle = _ThreadHandle()
    elif handle._started:
        raise RuntimeError("thread already started")
    tid = _js.new_thread()
    handle._ident = _ident(tid)
    handle._started = True
    _running[tid] = handle
    if not daemon:
        _non_daemon.append(handle)

    def body():
        global _current, _in_green
        _current = tid
        _in_green = True
        _js.cpu_start(tid)
        _no_running_loop()
        try:
            try:
                function()
            except SystemExit:
                pass
            except BaseException as e:
                # A thread of _thread.start_new_thread(): CPython reports it as unraisable.
                sys.unraisablehook(_unraisable(e, function))
        except BaseException:
            pass  # Stop's SystemExit landing in the report itself: the thread ends all the same
        finally:
            _in_green = False
            _running.pop(tid, None)
            handle._set_done()
            _js.cpu_stop(tid)

    _js.spawn(tid, create_proxy(body), bool(daemon))
    return handle


def _unraisable(e, function):
    args = types.SimpleNamespace(
        exc_type=type(e),
        exc_value=e,
        exc_traceback=e.__traceback__,
        err_msg=f"Exception ignored in thread started by {function!r}",
        object=None,
    )
    return args


def start_new_thread(function, args, kwargs=None):
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    kw = kwargs or {}
    handle = start_joinable_thread(lambda: function(*args, **kw), daemon=True)
    return handle.ident


start_new = start_new_thread


def exit():
    raise SystemExit


exit_thread = exit


def interrupt_main(signum=signal.SIGINT):
    signal.raise_signal(signum) if signum != signal.SIGINT else _real.interrupt_main(signum)


def _shutdown():
    """Waits for every non-daemon thread (threading._shutdown() calls it at exit)."""
    while _non_daemon:
        handle = _non_daemon.pop(0)
        if handle._ident != get_ident():
            handle.join()


# ---------------------------------------------------------------------------------------------
# time.sleep and the switch interval.


def sleep(secs):
    """time.sleep: releases the GIL for `secs` (other threads run meanwhile)."""
    if not isinstance(secs, (int, float)):
        secs = float(secs)  # TypeError for what CPython refuses too
    if secs != secs or secs < 0:
        raise ValueError("sleep length must be non-negative")
    if not _in_green:
        return _real_sleep(secs)
    _suspend(_js.block, _current, secs * 1000.0, "io", "", 0)


def process_time():
    """time.process_time(): the program's CPU time (time some thread ran Python)."""
    return _js.process_time()


def process_time_ns():
    return int(_js.process_time() * 1e9)


def thread_time():
    """time.thread_time(): the CPU time of the calling thread."""
    return _js.thread_time(_current)


def thread_time_ns():
    return int(_js.thread_time(_current) * 1e9)


_real_signal = signal.signal


def _signal(signalnum, handler):
    """signal.signal: only the main thread may set a handler, as in CPython (every green thread
    is the interpreter's one OS thread, so CPython's own check would let them all)."""
    if _current != _MAIN:
        raise ValueError("signal only works in main thread of the main interpreter")
    return _real_signal(signalnum, handler)


_TIME_PATCHES = {
    "sleep": sleep,
    "process_time": process_time,
    "process_time_ns": process_time_ns,
    "thread_time": thread_time,
    "thread_time_ns": thread_time_ns,
}


def setswitchinterval(interval):
    interval = float(interval)
    if interval <= 0:
        raise ValueError("switch interval must be strictly positive")
    _js.set_switch_interval(interval)


def getswitchinterval():
    return _js.get_switch_interval()


# The highest recursion limit a run gets. Every green thread runs on a WebAssembly stack that the
# engine suspends and resumes (JSPI), smaller than a native thread's: with the limit raised, an
# exception raised about 7,000 calls deep overflowed it and killed the interpreter (Node 24,
# Pyodide 314.0.7), and deeper failures took a minute. A higher limit is lowered, and said.
_MAX_RECURSION_LIMIT = 4000
_real_setrecursionlimit = sys.setrecursionlimit


def setrecursionlimit(limit):
    _real_setrecursionlimit(limit)  # TypeError, ValueError, RecursionError as CPython
    if limit > _MAX_RECURSION_LIMIT:
        _real_setrecursionlimit(_MAX_RECURSION_LIMIT)
        print(
            f"GIL Lab: sys.setrecursionlimit({limit}) was lowered to {_MAX_RECURSION_LIMIT}: "
            "threads here run on a browser's WebAssembly stack, smaller than a native one "
            "(CPython would allow the higher limit)",
            file=sys.stderr,
        )


# ---------------------------------------------------------------------------------------------
# What a browser cannot do says so (the same words as the other engine's shim/08_unsupported.py).

_NO_INPUT = (
    "input() is not available here: GIL Lab programs cannot read from the keyboard; "
    "put the value in the code"
)


def _no_input(prompt=""):
    """builtins.input: there is no keyboard (Pyodide would call prompt(), absent in a worker)."""
    raise EOFError(f"GIL Lab: {_NO_INPUT}")


class _NoStdin(__import__("io").TextIOBase):
    def readable(self):
        return True

    def read(self, size=-1):
        raise EOFError(f"GIL Lab: {_NO_INPUT} (sys.stdin cannot be read)")

    readline = read

    def readlines(self, hint=-1):
        return self.read()


class NetworkUnavailable(ConnectionError):
    """Raised when a program tries to open a network connection."""


def _no_network(*args, **kwargs):
    raise NetworkUnavailable(
        "GIL Lab: network access is not available in GIL Lab's Python: the interpreter runs in "
        "a browser Web Worker without sockets, so urllib.request, http.client and socket "
        "connections cannot reach a server. Put the data in the program (a string or bytes) "
        "instead"
    )


def _block_network():
    import socket

    socket.create_connection = _no_network
    socket.socket.connect = _no_network
    socket.socket.connect_ex = _no_network


_block_network()
builtins.input = _no_input
sys.stdin = _NoStdin()


class _Output(__import__("io").TextIOBase):
    """sys.stdout / sys.stderr during a run: each write goes straight to JavaScript (which tags it
    with the running thread). No buffered writer with a lock of its own: a switch inside one
    (a signal handler runs in its flush) let another thread's print() find it "busy" and raise
    "reentrant call", since every green thread is the same OS thread."""

    def __init__(self, name):
        self._name = name
        self.buffer = _OutputBytes(self)

    name = property(lambda self: f"<{self._name}>")
    encoding = "utf-8"
    errors = "strict"

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        _js.write(self._name, s)
        return len(s)

    def flush(self):
        _js.flush_output()

    def isatty(self):
        return False

    def fileno(self):
        raise __import__("io").UnsupportedOperation("fileno")


class _OutputBytes:
    def __init__(self, text):
        self._text = text

    def write(self, b):
        self._text.write(bytes(b).decode("utf-8", "replace"))
        return len(b)

    def flush(self):
        self._text.flush()

# ---------------------------------------------------------------------------------------------
# hashlib and zlib without the GIL. CPython runs them in C and releases the GIL around the work
# (Modules/hashlib.h: inputs of at least HASHLIB_GIL_MINSIZE = 2048 bytes, after which the
# object keeps releasing it; Modules/zlibmodule.c: around every deflate() / inflate()). Here that
# work goes to a native worker (green/native-api.ts) while the calling thread waits without the
# GIL, as in a lock wait, so other threads run meanwhile and native calls of several threads
# overlap. A round trip to another worker costs far more than CPython's release and re-take,
# though (a copy of the input, two messages, a switch of stacks here), which a short call would
# spend waiting rather than computing; so a call that releases the GIL in CPython but is below
# _NATIVE_HASH_MIN / _NATIVE_ZLIB_MIN bytes computes here, GIL held. That is what CPython's own
# release amounts to for a short call: the thread it wakes is rarely running before the call
# ends and the caller takes the GIL back (python3 3.11 here, 4 threads hashing 2,048-byte
# messages: the GIL changed hands at under 1 % of the calls), and a thread that has waited a
# whole switch interval gets it at the next check either way (the drop request, which the
# ticker raises here as well). Handing the GIL over at every such call instead cost a switch of
# stacks per call: hashlib_cliff.py's 2,048 bytes ran at 0.07x in Chromium (CPython 0.68-0.97x).
# Other algorithms and arguments, and calls outside a green stack, compute here with the GIL
# held. A hash object keeps its state in one place: in the interpreter until its first input of
# _NATIVE_HASH_MIN bytes (the bytes fed so far are replayed there, up to _REPLAY_MAX; an object
# fed more before stays in the interpreter), then in the native worker, which every later update
# of it goes to.

import hashlib as _hashlib_module
import itertools as _itertools
import zlib as _zlib

_NATIVE_HASH_MIN = 64 * 1024
_NATIVE_ZLIB_MIN = 16 * 1024  # zlib releases the GIL around any deflate() / inflate()
# Levels whose output the native worker gives byte for byte as zlib does (native-api.ts).
_PAKO_LEVELS = frozenset((-1, 1, 2, 3, 4, 5, 6, 7, 8, 9))
_REPLAY_MAX = 1 << 16
_NATIVE_HASHES = frozenset(
    "md5 sha1 sha224 sha256 sha384 sha512 sha3_224 sha3_256 sha3_384 sha3_512 blake2b blake2s".split()
)
_BLAKE2_SIMPLE = frozenset(("digest_size", "key", "salt", "person", "usedforsecurity"))
_BLAKE2_DEFAULTS = {
    "fanout": 1,
    "depth": 1,
    "leaf_size": 0,
    "node_offset": 0,
    "node_depth": 0,
    "inner_size": 0,
    "last_node": False,
}
_handles = _itertools.count(1)


# Whether this run has native workers (set by _patch_native): read once, since a call to
# JavaScript costs more than a short hash itself.
_native_avail = False


def _native_on():
    return _in_green and _native_avail and _js.native_ready()


def _native(post, *args):
    """Waits without the GIL for a native call (`post(*args)`: the scheduler's, buffers among
    its arguments); returns its reply."""
    _suspend(post, *args)
    reply = _js.native_result(_current)
    if reply is None or getattr(reply, "error", None) is not None:
        raise RuntimeError(f"GIL Lab: a native call failed: {getattr(reply, 'error', 'no reply')}")
    return reply


def _bytes_view(data):
    """The buffer as bytes (one dimension, C-contiguous) to send, or None: the interpreter then
    does the call itself (and raises what CPython raises for a str, a non-buffer ...)."""
    if isinstance(data, str):
        return None
    try:
        m = memoryview(data)
    except TypeError:
        return None
    if m.ndim > 1 or not m.c_contiguous:
        return None
    return m if m.format == "B" and m.ndim == 1 else m.cast("B")


class _GreenHash:
    """A hashlib object whose large updates run in a native worker without the GIL."""

    __slots__ = (
        "_local", "_log", "_id", "_seq", "_dseq", "_digest",
        "_name", "_digest_size", "_block_size", "_params", "__weakref__",
    )

    def _init(self, local, params):
        self._local = local  # the interpreter's own object while the state is here
        self._log = bytearray()  # what it was fed, to replay in the native worker (None: too much)
        self._id = 0  # the native worker's handle once the state is there
        self._seq = self._dseq = 0  # native calls made, and the one `_digest` is from
        self._digest = None
        self._name, self._digest_size = local.name, local.digest_size
        self._block_size = local.block_size
        self._params = params  # None: never native (an argument computed only here)

    name = property(lambda self: self._name)
    digest_size = property(lambda self: self._digest_size)
    block_size = property(lambda self: self._block_size)

    def update(self, data):
        if self._id:
            view = _bytes_view(data)
            if view is None:
                _hashlib_module.new(self._name).update(data)  # raises CPython's error
            self._call(_js.hash_update, _current, self._id, view)
            return
        if type(data) is bytes:
            n = len(data)
        else:
            try:
                n = memoryview(data).nbytes
            except TypeError:
                n = 0  # not a buffer: the interpreter's object raises CPython's error below
        if n >= _NATIVE_HASH_MIN and self._params is not None and self._log is not None:
            view = _bytes_view(data)
            if view is not None and _native_on():
                self._go_native(view)
                return
        self._local.update(data)
        if self._log is not None:
            if len(self._log) + n > _REPLAY_MAX:
                self._log = None
            else:
                self._log += data

    def _go_native(self, view):
        fed = bytes(self._log) + view if self._log else view
        self._id = next(_handles)
        self._local = self._log = None
        digest_size, key, salt, person = self._params or (None, None, None, None)
        self._call(
            _js.hash_new, _current, self._id, self._name, fed, digest_size, key, salt, person
        )

    def _call(self, post, *args):
        self._seq += 1
        seq = self._seq
        reply = _native(post, *args)
        if seq > self._dseq:
            self._digest, self._dseq = reply.digest.to_bytes(), seq

    def digest(self):
        if not self._id:
            return self._local.digest()
        if self._digest is None or self._dseq != self._seq:
            self._call(_js.hash_digest, _current, self._id)
        return self._digest

    def hexdigest(self):
        return self.digest().hex()

    def copy(self):
        c = object.__new__(type(self))
        c._name, c._digest_size, c._block_size = self._name, self._digest_size, self._block_size
        c._params = self._params
        if self._id:
            c._local = c._log = None
            c._id = next(_handles)
            _js.hash_copy(self._id, c._id)
            c._seq, c._dseq, c._digest = self._seq, self._dseq, self._digest
        else:
            c._local = self._local.copy()
            c._log = None if self._log is None else bytearray(self._log)
            c._id, c._seq, c._dseq, c._digest = 0, 0, 0, None
        return c

    def __del__(self):
        if getattr(self, "_id", 0):
            try:
                _js.hash_free(self._id)
            except Exception:
                pass

    def __repr__(self):
        return f"<{self._name} _hashlib.HASH object @ {id(self):#x}>"


_GreenHash.__module__ = "_hashlib"
_GreenHash.__name__ = _GreenHash.__qualname__ = "HASH"


def _hash_params(name, kwargs):
    """The native worker's arguments for these keywords, or None: computed in the interpreter."""
    if name not in _NATIVE_HASHES:
        return None
    if not name.startswith("blake2"):
        return () if set(kwargs) <= {"usedforsecurity"} else None
    for k, v in kwargs.items():
        if k not in _BLAKE2_SIMPLE and (k not in _BLAKE2_DEFAULTS or v != _BLAKE2_DEFAULTS[k]):
            return None
    key, salt, person = (kwargs.get(k, b"") for k in ("key", "salt", "person"))
    return (kwargs.get("digest_size", 64 if name == "blake2b" else 32), key, salt, person)


def _green_hash(make, args, kwargs):
    """A hashlib constructor's object (`make` takes the keywords), native-capable when routed."""
    if "string" in kwargs or len(args) > 1 or not (_in_green and _native_avail):
        return make(*args, **kwargs)
    data = args[0] if args else kwargs.pop("data", None)
    local = make(**kwargs)  # checks the keywords as CPython does
    params = _hash_params(local.name, kwargs)
    if params is None:
        if data is not None:
            local.update(data)
        return local
    h = object.__new__(_GreenHash)
    h._init(local, params)
    if data is not None:
        h.update(data)
    return h


def _hash_constructor(make):
    def constructor(*args, **kwargs):
        return _green_hash(make, args, kwargs)

    constructor.__name__ = constructor.__qualname__ = getattr(make, "__name__", "constructor")
    constructor.__doc__ = make.__doc__
    for attr in dir(make):  # blake2b.MAX_DIGEST_SIZE, SALT_SIZE ... (blake2 is a class)
        if attr.isupper():
            setattr(constructor, attr, getattr(make, attr))
    return constructor


def _hash_new(make_new):
    def new(name, *args, **kwargs):
        return _green_hash(lambda *a, **k: make_new(name, *a, **k), args, kwargs)

    new.__doc__ = make_new.__doc__
    return new


def _zlib_compress(make):
    def compress(data, /, level=-1, wbits=15):
        if type(level) is int and level in _PAKO_LEVELS and type(wbits) is int and wbits == 15:
            view = _bytes_view(data)
            if view is not None and view.nbytes >= _NATIVE_ZLIB_MIN and _native_on():
                return _native(_js.zlib_compress, _current, view, level).out.to_bytes()
        return make(data, level, wbits)

    compress.__doc__ = make.__doc__
    return compress


def _zlib_decompress(make):
    def decompress(data, /, wbits=15, bufsize=16384):
        if type(wbits) is int and wbits == 15 and type(bufsize) is int and bufsize >= 0:
            view = _bytes_view(data)
            if view is not None and view.nbytes >= _NATIVE_ZLIB_MIN and _native_on():
                out = _native(_js.zlib_decompress, _current, view).out
                if out:  # JavaScript's null (JsNull) when the interpreter must do it
                    return out.to_bytes()
                # Not one complete stream: the interpreter's zlib says why, as CPython would.
        return make(data, wbits, bufsize)

    decompress.__doc__ = make.__doc__
    return decompress


def _patch_native():
    """Routes hashlib's constructors and zlib's one-shot calls for a run; returns the originals."""
    global _native_avail
    _native_avail = bool(_js.native_ready())
    patches = {}
    for name in _NATIVE_HASHES:
        make = getattr(_hashlib_module, name, None)
        if make is not None:
            patches[(_hashlib_module, name)] = _hash_constructor(make)
    patches[(_hashlib_module, "new")] = _hash_new(_hashlib_module.new)
    patches[(_zlib, "compress")] = _zlib_compress(_zlib.compress)
    patches[(_zlib, "decompress")] = _zlib_decompress(_zlib.decompress)
    saved = {}
    for (module, name), patch in patches.items():
        saved[(module, name)] = getattr(module, name)
        setattr(module, name, patch)
    return saved


def _cpu_count():
    return _js.cpu_count()


# ---------------------------------------------------------------------------------------------
# asyncio as in CPython: asyncio.run() runs the loop on the calling thread, and the loop waits
# for its timers, or for another thread's call_soon_threadsafe() (asyncio.to_thread and
# run_in_executor finishing, run_coroutine_threadsafe), without the GIL, as CPython's select()
# releases it: other threads run meanwhile. A blocking call in a coroutine (time.sleep, a lock)
# blocks that thread and so the whole loop, as in CPython. The loop is asyncio's own
# BaseEventLoop; only its selector is ours (no file descriptors: no sockets, as in the rest of
# GIL Lab). Pyodide's WebLoop only carries Pyodide's own futures (see _suspend): a program's
# coroutine there ran between JavaScript tasks, so its other tasks ran even while a coroutine
# blocked the loop.
#
# asyncio itself stays the module imported at boot (importing it afresh compiles some thirty
# modules: seconds on a busy machine); for a run, the names it looks `threading` and
# `concurrent.futures` up by stand for the run's own modules (imported afresh on first use, on
# this `_thread`), its two module-level locks are this module's, and the event loop policy
# makes this loop. The interpreter's reset puts all of it back after the run.

import asyncio as _asyncio_pkg
import asyncio.base_events as _base_events
import asyncio.events as _events
import asyncio.mixins as _mixins
import asyncio.runners as _runners
import asyncio.unix_events as _unix_events


class _LoopSelector:
    """What BaseEventLoop._run_once waits in: up to `timeout` seconds (None: until woken) for a
    timer, or until another thread queues a callback (`wake`). It reports no file-descriptor
    events (there are none). Waiting releases the GIL, as CPython's select() does."""

    __slots__ = ("_woken", "_waiter")

    def __init__(self):
        self._woken = False
        self._waiter = None  # (tid, token) of the loop's thread while it waits

    def select(self, timeout=None):
        if self._woken or (timeout is not None and timeout <= 0) or not _in_green:
            self._woken = False
            return []
        me = (_current, next(_tokens))
        self._waiter = me
        try:
            # A switch between setting _waiter and blocking may let another thread wake us:
            # the token then makes the block return at once.
            if not self._woken:
                ms = -1 if timeout is None else timeout * 1000.0
                _suspend(_js.block, _current, ms, "io", _where(), me[1])
        finally:
            self._waiter = None
            self._woken = False
        return []

    def wake(self):
        self._woken = True
        waiter = self._waiter
        if waiter is not None:
            _wake(*waiter)

    def get_map(self):
        return {}

    def close(self):
        pass


class GilLabEventLoop(_base_events.BaseEventLoop):
    """asyncio's standard event loop on one thread: callbacks, timers, tasks, executors."""

    def __init__(self):
        super().__init__()
        self._selector = _LoopSelector()

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        selector = self._selector
        if selector is not None:
            selector.wake()

    def close(self):
        super().close()
        self._selector = None


class _PolicyLocal(_local):
    _loop = None


class _EventLoopPolicy(_events._BaseDefaultEventLoopPolicy):
    """CPython's default policy (one loop per thread, none made implicitly), making our loop."""

    _loop_factory = GilLabEventLoop

    def __init__(self):
        self._local = _PolicyLocal()


class _RunModule(types.ModuleType):
    """Stands for a module the run imports afresh (`threading`, `concurrent`) in asyncio's
    namespaces: the run's own module, imported on first use."""

    def __init__(self, name, load):
        super().__init__(name)
        self.__dict__["_load"] = load

    def __getattr__(self, attr):
        __import__(self.__dict__["_load"])
        return getattr(sys.modules[self.__name__], attr)


def _patch_asyncio():
    """Points asyncio at this run's threading and event loop; returns what to put back."""
    threading = _RunModule("threading", "threading")
    concurrent = _RunModule("concurrent", "concurrent.futures")
    patches = {
        (_base_events, "threading"): threading,
        (_base_events, "concurrent"): concurrent,
        (_events, "threading"): threading,
        (_runners, "threading"): threading,
        (_unix_events, "threading"): threading,
        (sys.modules["asyncio.futures"], "concurrent"): concurrent,
        (sys.modules["asyncio.tasks"], "concurrent"): concurrent,
        (_events, "_lock"): LockType(),
        (_mixins, "_global_lock"): LockType(),
        (_events, "_event_loop_policy"): _EventLoopPolicy(),
        # Pyodide's asyncio.run hands a coroutine to its WebLoop; CPython's makes a loop.
        (_asyncio_pkg, "run"): _runners.run,
        (_asyncio_pkg, "EventLoop"): GilLabEventLoop,
        (_asyncio_pkg, "SelectorEventLoop"): GilLabEventLoop,
        (_unix_events, "EventLoop"): GilLabEventLoop,
        (_unix_events, "SelectorEventLoop"): GilLabEventLoop,
    }
    saved = {}
    for (module, name), patch in patches.items():
        saved[(module, name)] = getattr(module, name)
        setattr(module, name, patch)
    return saved


def _no_running_loop():
    """A new stack starts with no running loop (Pyodide hands it the loop of the stack that
    suspended last)."""
    _set_running_loop(None)



# ---------------------------------------------------------------------------------------------
# Processes. A program's `concurrent.futures.process` is GIL Lab's (process_pool.py, written to
# _PROCESS_POOL_FILE at boot): its pools send pickled tasks to other interpreters, each in a
# worker of its own (green/processes.ts). There, run_process() below is the process: it imports
# the program as `__mp_main__` (as spawn and forkserver do) and runs the tasks it is sent on its
# main thread. multiprocessing itself cannot start processes in a browser: once imported, what
# would start one says so and names ProcessPoolExecutor.

import importlib.machinery as _machinery
import importlib.util as _importlib_util
import pickle as _pickle

_PROCESS_POOL_FILE = "/lib/gil_lab/concurrent/futures/process.py"

# What multiprocessing says: the other engine's shim part shim/08_unsupported_multiprocessing.py.
from gil_lab_multiprocessing import _patch_multiprocessing


class _ThenPatch:
    """A loader that runs another loader, then `then()`."""

    def __init__(self, loader, then):
        self._loader, self._then = loader, then

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._then()


class _RunImports:
    """First on sys.meta_path during a run: the process pool is ours; multiprocessing is patched
    once imported."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "concurrent.futures.process":
            return _importlib_util.spec_from_file_location(name, _PROCESS_POOL_FILE)
        if name == "multiprocessing":
            spec = _machinery.PathFinder.find_spec(name, path)
            if spec is not None and spec.loader is not None:
                spec.loader = _ThenPatch(spec.loader, _patch_multiprocessing)
            return spec
        return None


def _task_error(e):
    """A task's exception for the parent: (its pickle or None, type, message, traceback text).
    The text travels beside it: the exception may not unpickle there."""
    text = _format(e)
    try:
        exc = _pickle.dumps(e)
    except Exception:
        exc = None
    return _pickle.dumps((exc, type(e).__qualname__, str(e), text))


# A short task's result waits for the next ones of its batch (one message, and one wake of the
# parent's manager thread, for many tiny tasks), at most _HOLD_MS; a longer task's goes at once.
_HOLD_MS = 1.0


def _serve_tasks():
    """Runs the tasks the parent sends until it says end: batches, each a pickled list of
    (work id, pickle of (fn, args, kwargs)); results go back as (work id, ok, pickle)."""
    perf = time.perf_counter
    while True:
        batch = _js.task_next()
        if batch is None:
            token = next(_tokens)
            _js.task_waiter(_current, token)  # woken at once if a batch came meanwhile
            _suspend(_js.block, _current, -1, "idle", "", token)
            continue
        if batch.end:
            return
        items = _pickle.loads(batch.blob.to_bytes())
        batch = None
        held, held_ms, first, at = [], 0.0, 0.0, 0.0
        for wid, data in items:
            t0 = perf()
            if not held:
                first, at = t0, _js.now()
            try:
                fn, args, kwargs = _pickle.loads(data)
                ok, out = True, _pickle.dumps(fn(*args, **kwargs))
            except BaseException as e:
                if isinstance(e, KeyboardInterrupt) and _js.stopped():
                    raise
                ok, out = False, _task_error(e)
            fn = args = kwargs = data = None
            t1 = perf()
            held.append((wid, ok, out))
            held_ms += (t1 - t0) * 1000.0
            if (t1 - t0) * 2000.0 >= _HOLD_MS or (t1 - first) * 1000.0 >= _HOLD_MS:
                _js.task_done(_js_bytes(_pickle.dumps(held)), len(held), held_ms, at)
                held, held_ms = [], 0.0
        if held:
            _js.task_done(_js_bytes(_pickle.dumps(held)), len(held), held_ms, at)


def run_process(source, filename, init):
    """A pool's process: imports the program as __mp_main__, runs the pool's initializer, then
    the tasks it is sent. Returns an outcome dict; not ok: the pool cannot use this process."""
    try:
        return _run_process(source, filename, init)
    except BaseException as e:
        return {"ok": False, "error": {"type": type(e).__name__, "message": str(e), "traceback": ""}}


def _run_process(source, filename, init):
    global _in_green
    module = _program_module(source, filename, "__mp_main__")
    sys.modules["__main__"] = sys.modules["__mp_main__"] = module
    error = None
    try:
        try:
            exec(compile(source, filename, "exec"), module.__dict__)
            if init is not None:
                fn, args = _pickle.loads(init.to_bytes())
                try:
                    fn(*args)
                except BaseException:
                    print("Exception in initializer:", file=sys.stderr)
                    raise
            _serve_tasks()
        except BaseException as e:
            error = _error(e)
            if not isinstance(e, (SystemExit, KeyboardInterrupt)):
                print(error["traceback"], end="", file=sys.stderr)
        if error is None or error["type"] not in ("KeyboardInterrupt", "Deadlock"):
            try:
                _wait_for_threads()
            except BaseException:
                pass
    finally:
        _flush()
        _in_green = False
        _js.cpu_stop(_MAIN)
    return {"ok": error is None, "error": error}

# ---------------------------------------------------------------------------------------------
# One run: install this module as `_thread`, run the program as __main__, then restore.

_program_file = "main.py"
_real_sleep = time.sleep
_FRESH = ("threading", "queue", "_threading_local", "concurrent")
_saved = {}


def _is_fresh(name):
    return any(name == p or name.startswith(p + ".") for p in _FRESH)


def _install():
    global _current, _in_green, _non_daemon, _running
    _saved.clear()
    _current, _in_green = _MAIN, False
    _non_daemon, _running = [], {}
    _saved["modules"] = {n: m for n, m in sys.modules.items() if _is_fresh(n)}
    _saved["baseline"] = set(sys.modules)
    for name in _saved["modules"]:
        del sys.modules[name]
    sys.modules["_thread"] = sys.modules[__name__]
    # queue.SimpleQueue's C version blocks on a real OS lock: use queue's pure-Python one.
    _saved["_queue"] = sys.modules.get("_queue")
    sys.modules["_queue"] = None
    _saved["signals"] = {
        s: signal.getsignal(s) for s in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGINT)
    }
    _real_signal(signal.SIGUSR1, _on_switch_request)
    _real_signal(signal.SIGUSR2, _on_flush_request)
    _real_signal(signal.SIGINT, _on_sigint)
    signal.signal = _signal
    _saved["sys"] = (sys.setswitchinterval, sys.getswitchinterval, sys.getrecursionlimit())
    sys.setswitchinterval, sys.getswitchinterval = setswitchinterval, getswitchinterval
    sys.setrecursionlimit = setrecursionlimit
    _saved["time"] = {name: getattr(time, name, None) for name in _TIME_PATCHES}
    for name, patch in _TIME_PATCHES.items():
        setattr(time, name, patch)
    _saved["streams"] = (sys.stdout, sys.stderr)
    sys.stdout, sys.stderr = _Output("stdout"), _Output("stderr")
    _saved["native"] = _patch_native()
    _saved["asyncio"] = _patch_asyncio()
    # os.cpu_count(): the cores the page reports, which native calls can use (Emscripten says 1);
    # ThreadPoolExecutor sizes itself from it, as in CPython.
    _saved["cpu"] = {
        n: getattr(_os, n) for n in ("cpu_count", "process_cpu_count") if hasattr(_os, n)
    }
    for n in _saved["cpu"]:
        setattr(_os, n, _cpu_count)
    sys.meta_path.insert(0, _RunImports)
    _patch_multiprocessing()  # if the boot imported it already


def _restore():
    """Undoes _install (as far as it got): the next run starts from the same clean state."""
    global _in_green
    _in_green = False
    saved = _saved
    for name, original in saved.get("time", {}).items():
        if original is None:
            if hasattr(time, name):
                delattr(time, name)  # Pyodide's time has no thread_time: ours is for the run
        else:
            setattr(time, name, original)
    for key in ("native", "asyncio"):
        for (module, name), original in saved.get(key, {}).items():
            setattr(module, name, original)
    for name, original in saved.get("cpu", {}).items():
        setattr(_os, name, original)
    if _RunImports in sys.meta_path:
        sys.meta_path.remove(_RunImports)
    if "streams" in saved:
        sys.stdout, sys.stderr = saved["streams"]
    if "sys" in saved:
        sys.setswitchinterval, sys.getswitchinterval, limit = saved["sys"]
        sys.setrecursionlimit = _real_setrecursionlimit
        _real_setrecursionlimit(limit)
    signal.signal = _real_signal
    for s, handler in saved.get("signals", {}).items():
        _real_signal(s, handler)
    if "baseline" in saved:
        for name in list(sys.modules):
            if name not in saved["baseline"] or _is_fresh(name):
                del sys.modules[name]
        sys.modules.update(saved["modules"])
    if saved.get("_queue") is not None:
        sys.modules["_queue"] = saved["_queue"]
    else:
        sys.modules.pop("_queue", None)
    sys.modules["_thread"] = _real
    saved.clear()


def _format(e):
    """The traceback as CPython prints it, without this module's frames."""
    te = traceback.TracebackException.from_exception(e)
    seen = set()
    stack = [te]
    while stack:
        t = stack.pop()
        if t is None or id(t) in seen:
            continue
        seen.add(id(t))
        t.stack = traceback.StackSummary.from_list(
            [f for f in t.stack if not f.filename.endswith("green_thread.py")]
        )
        stack += [t.__cause__, t.__context__]
    return "".join(te.format())


def _error(e):
    return {"type": type(e).__name__, "message": str(e), "traceback": _format(e)}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def run_main(source, filename):
    """Runs `source` as __main__ in the main green thread; then waits for non-daemon threads
    (threading._shutdown, as CPython's Py_FinalizeEx does). Returns an outcome dict, always: a
    Stop's KeyboardInterrupt that lands in this module's own bookkeeping is an outcome too."""
    try:
        return _run_main(source, filename)
    except BaseException as e:
        return {"ok": False, "error": {"type": type(e).__name__, "message": str(e), "traceback": ""}}


def _program_module(source, filename, name):
    """The main thread starts running a program (a whole one, or a pool's process): this stack
    is thread 0 and runs Python (its CPU clock starts); the program's source is what tracebacks
    quote; returns the empty module `name` it runs in."""
    global _current, _in_green, _program_file
    _program_file = filename
    _current, _in_green = _MAIN, True
    _js.cpu_start(_MAIN)
    _no_running_loop()
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    module.__builtins__ = builtins
    return module


def _wait_for_threads():
    """At the program's end, as CPython's Py_FinalizeEx: every non-daemon thread is joined."""
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._shutdown()
    else:
        _shutdown()


def _run_main(source, filename):
    global _in_green
    module = _program_module(source, filename, "__main__")
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    # As multiprocessing does in the parent: what a process pickles from its `__mp_main__` (a
    # class the program defines, say) unpickles here as the program's own.
    sys.modules["__mp_main__"] = module
    error = None
    try:
        try:
            exec(compile(source, filename, "exec"), module.__dict__)
        except SystemExit as e:
            if e.code not in (None, 0):
                error = _error(e)
                if not isinstance(e.code, int):
                    print(e.code, file=sys.stderr)
        except Deadlock:
            error = {"type": "Deadlock", "message": "every thread is waiting: deadlock", "traceback": ""}
        except BaseException as e:
            error = _error(e)
            print(error["traceback"], end="", file=sys.stderr)
        if error is None or error["type"] not in ("KeyboardInterrupt", "Deadlock"):
            try:
                _wait_for_threads()
            except Deadlock:
                error = {"type": "Deadlock", "message": "every thread is waiting: deadlock", "traceback": ""}
            except KeyboardInterrupt as e:
                error = _error(e)
            except BaseException:
                pass
    finally:
        _flush()
        _in_green = False
        _js.cpu_stop(_MAIN)
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
    return {"ok": error is None, "error": error}
