# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). The eval breaker (SIGUSR1 hands the GIL over; SIGUSR2 posts held-back
# output), time.sleep, the switch interval, and hashlib / zlib calls that release the GIL around
# large buffers, as CPython's C code does.

def _on_switch_request(signum, frame):
    _ok(_js.switch_now())


def _on_flush_request(signum, frame):
    # SIGUSR2: the coordinator saw output this worker holds back while Python only computes.
    _js.flush_output()


def sleep(secs):
    secs = float(secs)
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    _ok(_js.sleep(secs * 1000.0))


def setswitchinterval(interval):
    interval = float(interval)
    if interval <= 0:
        raise ValueError("switch interval must be strictly positive")
    if interval != interval or interval == float("inf"):
        # CPython accepts NaN and inf too (its C conversion then yields a huge interval for NaN):
        # take them as "practically never ask for a switch", the longest interval we can keep.
        interval = 1e6
    _js.set_switch_interval(interval * 1000.0)


def getswitchinterval():
    return _js.get_switch_interval() / 1000.0


# The highest recursion limit a run gets, as in the one-interpreter engine (green_thread.py).
# Each interpreter runs on its worker's stack, which CPython cannot measure here: with the limit
# raised, letting go of a RecursionError's traceback overflowed that stack ("Maximum call stack
# size exceeded", a dead interpreter; Pyodide 314.0.7) from about 3,500 calls deep in Chromium
# 156's workers (3,000 was fine), 40,000 in a Node 24 worker; Firefox 153 was fine at 6,000. A
# higher limit is lowered, with room to spare, and said: the reader gets CPython's RecursionError.
_MAX_RECURSION_LIMIT = 2000
_real_setrecursionlimit = sys.setrecursionlimit


def setrecursionlimit(limit):
    _real_setrecursionlimit(limit)  # TypeError, ValueError, RecursionError as CPython
    if limit > _MAX_RECURSION_LIMIT:
        _real_setrecursionlimit(_MAX_RECURSION_LIMIT)
        print(
            f"GIL Lab: sys.setrecursionlimit({limit}) was lowered to {_MAX_RECURSION_LIMIT}: "
            "threads here run on a browser's worker stack, smaller than a native one "
            "(CPython would allow the higher limit)",
            file=sys.stderr,
        )


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
