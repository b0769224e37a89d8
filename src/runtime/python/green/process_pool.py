"""GIL Lab's `concurrent.futures.process` for the one-interpreter engine: ProcessPoolExecutor.

CPython's own module (Lib/concurrent/futures/process.py) stands on multiprocessing, which a
browser cannot run (no `_multiprocessing`, no fork): green_thread.py imports this file under
that name for each run instead. Each process is another interpreter in a worker of its own
(green/processes.ts), with its own GIL; it imports the program as `__mp_main__`, as spawn and
forkserver do, and runs the tasks it is sent. Arguments and results travel pickled.

The shape is CPython's: submit() queues a work item and returns a `concurrent.futures.Future`;
a manager thread per pool (CPython's _ExecutorManagerThread) pickles the items, sends them to
the processes a few at a time, and sets the futures' results when they come back. While it waits
for the processes it holds no GIL, so the program's other threads run. Broken pools, pickling
errors and a task's exception read as in CPython 3.14 (its texts are copied below).
"""

import collections
import itertools
import os
import pickle
import threading
import traceback
from functools import partial

import _thread as _green
import _gil_lab_sched as _js
from concurrent.futures import _base

# As CPython: the call queue holds max_workers + 1 items (here the window per process adapts).
EXTRA_QUEUED_CALLS = 1

_global_shutdown = False
_pools = []


def _python_exit():
    """At exit (threading._register_atexit), pools that were not shut down finish their work first,
    as CPython's _python_exit() joins their manager threads."""
    global _global_shutdown
    _global_shutdown = True
    for pool in list(_pools):
        pool.shutdown(wait=True)


threading._register_atexit(_python_exit)


class _RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


def _rebuild_exc(exc, tb):
    exc.__cause__ = _RemoteTraceback(tb)
    return exc


def _process_chunk(fn, chunk):
    """Processes a chunk of an iterable passed to map (runs in a process)."""
    return [fn(*args) for args in chunk]


def _chain_from_iterable_of_lists(iterable):
    """Specialized implementation of itertools.chain.from_iterable, as CPython's."""
    for element in iterable:
        element.reverse()
        while element:
            yield element.pop()


class BrokenProcessPool(_base.BrokenExecutor):
    """
    Raised when a process in a ProcessPoolExecutor terminated abruptly
    while a future was in the running state.
    """


_TERMINATED = (
    "A process in the process pool was terminated abruptly while the future was running or "
    "pending."
)
_NOT_USABLE = "A child process terminated abruptly, the process pool is not usable anymore"
_pool_ids = itertools.count(1)
_NO_PROCESSES = (
    "GIL Lab: this run has no process interpreters: Run Python starts them before a program that "
    "names ProcessPoolExecutor runs (name the class in the program)"
)
_MANAGER_WAITS = "(the process pool's manager thread, waiting for work)"


def _decode_error(data):
    """A task's exception, pickled in the process with its traceback's text (process side:
    green_thread.py _task_error); one that cannot be re-created here becomes a RuntimeError."""
    exc_data, type_name, message, tb_text = pickle.loads(data)
    try:
        if exc_data is None:
            raise TypeError("it cannot be pickled")
        exc = pickle.loads(exc_data)
    except Exception as e:
        exc = RuntimeError(
            f"{type_name}: {message}\n(GIL Lab: the task raised {type_name}, which could not be "
            f"re-created in this interpreter ({type(e).__name__}: {e}), so this RuntimeError "
            "stands in for it; its traceback is shown above.)"
        )
    return _rebuild_exc(exc, f'\n"""\n{tb_text}"""')


class ProcessPoolExecutor(_base.Executor):
    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *,
                 max_tasks_per_child=None):
        if max_workers is None:
            self._max_workers = os.process_cpu_count() or 1
        else:
            if max_workers <= 0:
                raise ValueError("max_workers must be greater than 0")
            self._max_workers = max_workers
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            elif max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._initializer = initializer
        self._initargs = initargs
        self._mp_context = mp_context
        self._shutdown_lock = threading.Lock()
        self._shutdown_thread = False
        self._broken = False
        self._cancel_pending = False
        self._pending = collections.deque()  # (work id, future, fn, args, kwargs) not sent yet
        self._work = {}  # work id -> future, sent or not, until its result is set
        self._ids = itertools.count()
        self._manager = None
        self._waiter = None  # (tid, token) of the manager while it waits
        self._pool = next(_pool_ids)

    # -- the program's side ----------------------------------------------------------------

    def _wakeup(self):
        waiter = self._waiter
        if waiter is not None:
            _green._wake(*waiter)

    def _start_manager(self):
        if self._manager is None:
            self._manager = threading.Thread(target=self._manage, daemon=True)
            self._manager.start()
            _pools.append(self)

    def submit(self, fn, /, *args, **kwargs):
        with self._shutdown_lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._shutdown_thread:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if _global_shutdown:
                raise RuntimeError("cannot schedule new futures after interpreter shutdown")
            f = _base.Future()
            wid = next(self._ids)
            self._work[wid] = f
            self._pending.append((wid, f, fn, args, kwargs))
            self._start_manager()
            self._wakeup()
            return f

    submit.__doc__ = _base.Executor.submit.__doc__

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        """As CPython's: items go to the processes in batches of `chunksize`."""
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        results = super().map(
            partial(_process_chunk, fn),
            itertools.batched(zip(*iterables), chunksize),
            timeout=timeout,
            buffersize=buffersize,
        )
        return _chain_from_iterable_of_lists(results)

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._shutdown_lock:
            self._cancel_pending = cancel_futures
            self._shutdown_thread = True
            self._wakeup()
        manager = self._manager
        if manager is not None and wait and manager is not threading.current_thread():
            manager.join()

    shutdown.__doc__ = _base.Executor.shutdown.__doc__

    # -- the manager thread ----------------------------------------------------------------

    def _manage(self):
        init = None
        if self._initializer is not None:
            try:
                init = pickle.dumps((self._initializer, tuple(self._initargs)))
            except Exception:
                # CPython's process fails to unpickle it and dies: the pool breaks.
                self._terminate_broken()
                _pools.remove(self)
                return
        if init is not None:
            init = _green._js_bytes(init)
        if not _js.proc_open(self._pool, self._max_workers, init):
            self._terminate_broken(_NO_PROCESSES)
            _pools.remove(self)
            return
        try:
            while True:
                for blob in _js.proc_take(self._pool):
                    for wid, ok, data in pickle.loads(blob.to_bytes()):
                        f = self._work.pop(wid, None)
                        if f is None:
                            continue
                        try:
                            value = pickle.loads(data) if ok else _decode_error(data)
                        except BaseException as e:
                            ok, value = False, e
                        if ok:
                            f.set_result(value)
                        else:
                            f.set_exception(value)
                        del f, value
                if _js.proc_broken(self._pool):
                    self._terminate_broken()
                    return
                if self._cancel_pending:
                    self._cancel_pending = False
                    for item in self._pending:
                        if item[1].cancel():
                            self._work.pop(item[0], None)
                    self._pending = collections.deque(
                        i for i in self._pending if not i[1].cancelled()
                    )
                self._send()
                if self._shutdown_thread and not self._work:
                    return
                me = (_green._current, next(_green._tokens))
                self._waiter = me
                _js.proc_wait(self._pool, *me)  # woken at once if anything arrived meanwhile
                if self._shutdown_thread and not self._work:
                    continue
                if self._pending and _js.proc_room(self._pool) > 0:
                    continue
                _green._suspend(_js.block, me[0], -1, "io", _MANAGER_WAITS, me[1])
                self._waiter = None
        finally:
            self._waiter = None
            _js.proc_close(self._pool)
            if self in _pools:
                _pools.remove(self)

    def _send(self):
        """Pickles and sends pending items while the processes have room (CPython's
        _add_call_item_to_queue and its queue feeder), in one message per process and turn."""
        while self._pending:
            room = _js.proc_room(self._pool)
            if room <= 0:
                return
            batch = []
            while self._pending and len(batch) < room:
                wid, f, fn, args, kwargs = self._pending.popleft()
                if not f.set_running_or_notify_cancel():
                    self._work.pop(wid, None)
                    continue
                try:
                    data = pickle.dumps((fn, args, kwargs))
                except BaseException as e:
                    # As CPython's _SafeQueue._on_queue_feeder_error: the future gets the error.
                    tb = traceback.format_exception(type(e), e, e.__traceback__)
                    e.__cause__ = _RemoteTraceback('\n"""\n{}"""'.format("".join(tb)))
                    self._work.pop(wid, None)
                    f.set_exception(e)
                    continue
                batch.append((wid, data))
            if batch:
                _js.proc_send(self._pool, len(batch), _green._js_bytes(pickle.dumps(batch)))

    def _terminate_broken(self, why=_TERMINATED):
        """A process died (os._exit, a fatal error): every future not done fails, later submits
        raise, as CPython's terminate_broken()."""
        self._broken = _NOT_USABLE
        bpe = BrokenProcessPool(why)
        for f in self._work.values():
            if not f.done():
                try:
                    f.set_exception(bpe)
                except _base.InvalidStateError:
                    pass
        self._work.clear()
        self._pending.clear()
