# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). threading.Lock / RLock made by the reader's code live in shared memory, so every interpreter
# of the run sees the same lock (the same place in the module makes the same key).

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
