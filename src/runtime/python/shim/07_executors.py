# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). ThreadPoolExecutor / ProcessPoolExecutor: the pool lives in the coordinator; submit() pickles
# the call and returns a Future.

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
        self._broken = False
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
        return self._schedule(fn, args, kwargs, None)

    def _schedule(self, fn, args, kwargs, snapshot, name=None):
        """submit(); `snapshot`: the caller's globals if already taken (map takes them once);
        `name`: the task's name on the timeline if not fn's (a batch of map is its function's)."""
        if self._broken:
            from concurrent.futures.process import BrokenProcessPool

            raise BrokenProcessPool(self._broken)
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        _refuse_during_import("submit()")
        name = name or getattr(fn, "__name__", "task")
        task = _dumps((fn, args, kwargs), f"the task {name!r} and its arguments", self._pool == "process")
        if snapshot is None:
            snapshot = self._snapshot()
        payload = _task_payload(snapshot, task)
        fid = _js.next_id()
        _submit(fid, self._id, "call", payload, name, False)
        future = Future(fid)
        future._executor = self
        self._futures.append(future)
        _run.pending.append(future)
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        end = None if timeout is None else time.monotonic() + timeout
        calls, task, name = zip(*iterables), fn, None
        if self._pool == "process":
            # As CPython's ProcessPoolExecutor.map: items go to the processes in batches of
            # `chunksize` (one pickled task and one result per batch), flattened on the way out.
            # A thread pool ignores chunksize, as CPython's does.
            if chunksize < 1:
                raise ValueError("chunksize must be >= 1.")
            calls = ((functools.partial(_process_chunk, fn), (batch,)) for batch in itertools.batched(calls, chunksize))
            task, name = None, getattr(fn, "__name__", "task")
        snapshot = None
        fs = []
        for args in calls:
            if snapshot is None:
                snapshot = self._snapshot()
            if task is None:
                fs.append(self._schedule(args[0], args[1], {}, snapshot, name))
            else:
                fs.append(self._schedule(task, args, {}, snapshot))

        def results():
            try:
                fs.reverse()
                while fs:
                    left = None if end is None else end - time.monotonic()
                    if task is None:
                        yield from fs.pop().result(left)
                    else:
                        yield fs.pop().result(left)
            finally:
                for f in fs:
                    f.cancel()

        return results()

    def _snapshot(self):
        """Threads get a copy of the caller's globals; a process imports the module afresh."""
        return b"" if self._pool == "process" else _globals_snapshot()

    def shutdown(self, wait=True, *, cancel_futures=False):
        if cancel_futures:
            for f in self._futures:
                f.cancel()
        self._shutdown = True
        if _js.stopped():
            # After Stop the run is ending: waiting for the tasks (as CPython would, forever, for
            # a spinning worker) would only raise a second KeyboardInterrupt.
            return
        if wait:
            for f in self._futures:
                f._wait(None)
        _post({"kind": "shutdown", "executor": self._id})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown(wait=True)
        return False


def _process_chunk(fn, chunk):
    """One batch of ProcessPoolExecutor.map in a process: its calls' results, in order."""
    return [fn(*args) for args in chunk]


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
