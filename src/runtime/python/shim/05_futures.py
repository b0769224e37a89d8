# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). concurrent.futures.Future for a task in another interpreter, and wait() / as_completed() over
# such futures (outcomes arrive pickled through the mailbox).

class _RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


_RemoteTraceback.__module__ = "concurrent.futures.process"


def _decode_error(payload):
    """The exception a task raised, re-created here, with the task's traceback as its cause.
    One that cannot be re-created (say its __init__ needs arguments pickle does not pass)
    becomes a RuntimeError naming its type and carrying its message and traceback."""
    if payload[:1] == b"\x00":
        return RuntimeError(payload[1:].decode())
    if payload[:1] == b"\x01":
        # A process of the task's pool died (os._exit, a fatal error), in CPython's words.
        from concurrent.futures.process import BrokenProcessPool

        return BrokenProcessPool(payload[1:].decode())
    data, type_name, message, tb_text = pickle.loads(payload)
    try:
        if data is None:
            raise TypeError("it cannot be pickled")
        exc = pickle.loads(data)
    except Exception as e:
        exc = RuntimeError(
            f"{type_name}: {message}\n(GIL Lab: the task raised {type_name}, which could not be "
            f"re-created in this interpreter ({type(e).__name__}: {e}), so this RuntimeError "
            "stands in for it; its traceback is shown above.)"
        )
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
                pool = getattr(self, "_executor", None)
                if pool is not None and isinstance(self._decoded[1], _futures.BrokenExecutor):
                    pool._broken = _NOT_USABLE  # later submit() calls raise at once, as in CPython
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
        # Finished ones not fetched yet: fetch their outcomes in the order they finished (the
        # coordinator hands over the earliest first), not in this set's order. CPython yields
        # futures that finished while the caller was busy in finishing order too; fetching one
        # by one in set order put 0.2 before 0.1 when this interpreter was late (a busy machine).
        unfetched = []
        for f in pending:
            if f._fid is not None and f.done() and f._fid not in _run.results:
                if _js.future_state(f._fid) == _CANCELLED_STATE:
                    f._wait(None)  # cancelled here: nothing to fetch
                else:
                    unfetched.append(f._fid)
        while unfetched:
            _wait_any(unfetched)
            unfetched = [fid for fid in unfetched if fid not in _run.results]
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


_futures = None
# CPython's words for a broken process pool's later submit() (concurrent/futures/process.py).
_NOT_USABLE = "A child process terminated abruptly, the process pool is not usable anymore"
