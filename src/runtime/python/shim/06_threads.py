# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). threading.Thread whose run() happens in another interpreter, and the threading functions
# (current_thread, enumerate, ...) that answer for this run.

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
        task = _dumps(self, f"the thread {self._name!r} (its target and arguments)")
        payload = _task_payload(_globals_snapshot(), task)
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
        elif status == _ERROR and not _js.stopped():
            # The coordinator's own failures (a lost interpreter ...); an import failure it
            # has already printed.
            text = str(_decode_error(payload))
            if not text.startswith("GIL Lab: the program failed while"):
                print(f"Exception in thread {self._name}:\nRuntimeError: {text}", file=sys.stderr)

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
