# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). asyncio on the interpreter's own thread: asyncio.run() works synchronously,
# as in CPython. Pyodide's own loop (WebLoop) runs coroutines on the browser's event loop, which a
# program that blocks its worker never returns to: asyncio.run() failed ("Cannot stack switch")
# and its coroutine then ran later, inside another run. Here the loop is a standard
# asyncio.BaseEventLoop whose "selector" knows only timers and work in other interpreters: it waits
# with the GIL-releasing sleep(), or for a Future of our thread/process pools. No sockets, no
# file descriptors, as in the rest of GIL Lab.

import asyncio as _asyncio
import asyncio.base_events as _base_events
import asyncio.events as _events

_NOTHING_TO_WAIT_FOR = (
    "GIL Lab: the event loop has nothing to wait for: no timer (asyncio.sleep, call_later) and no "
    "work in a thread or process (asyncio.to_thread, run_in_executor) is pending, so in CPython it "
    "would wait for I/O forever. GIL Lab's event loop supports timers and executors only (no "
    "sockets, streams or subprocesses)"
)


class _TimerSelector:
    """What BaseEventLoop._run_once asks to wait: up to `timeout` seconds, for a timer or for a
    Future of another interpreter. It never reports file-descriptor events (there are none)."""

    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout=None):
        loop = self._loop
        waiting = self._settle(loop._gil_lab_waiting + list(getattr(_run, "pending", ())))
        loop._gil_lab_waiting = [f for f in loop._gil_lab_waiting if f in waiting]
        if loop._ready:
            return []  # a finished future's done callbacks queued work for the loop
        if waiting:
            # Returns when one finishes or at the timeout; the GIL is released meanwhile, as
            # CPython's select() releases it.
            _futures.wait(waiting, timeout=timeout, return_when="FIRST_COMPLETED")
            self._settle(waiting)
        elif timeout is None:
            raise RuntimeError(_NOTHING_TO_WAIT_FOR)
        elif timeout > 0:
            sleep(timeout)
        return []

    @staticmethod
    def _settle(futures):
        """Fetches the outcome of the finished ones (which runs their done callbacks, such as
        asyncio.wrap_future's wake-up of the loop); returns the unfinished ones."""
        waiting = []
        for f in dict.fromkeys(futures):
            if not f.done():
                waiting.append(f)
                continue
            try:
                f.exception()
            except _futures.CancelledError:
                pass
        return waiting

    def get_map(self):
        return {}

    def close(self):
        pass


class GilLabEventLoop(_base_events.BaseEventLoop):
    """asyncio's standard loop on one interpreter: timers, callbacks, tasks, executors."""

    def __init__(self):
        super().__init__()
        self._selector = _TimerSelector(self)
        self._gil_lab_waiting = []

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass  # call_soon_threadsafe: callbacks are queued by this interpreter itself

    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        if self._debug:
            self._check_callback(func, "run_in_executor")
        if executor is None:
            executor = self._default_executor
            if self._executor_shutdown_called:
                raise RuntimeError("Executor shutdown has been called")
            if executor is None:
                executor = _futures.ThreadPoolExecutor(thread_name_prefix="asyncio")
                self._default_executor = executor
        future = executor.submit(func, *args)
        self._gil_lab_waiting.append(future)
        return _asyncio.wrap_future(future, loop=self)

    async def shutdown_default_executor(self, timeout=None):
        # CPython shuts the pool down from a helper threading.Thread; here a thread is another
        # interpreter, so wait for the pool's work right here.
        self._executor_shutdown_called = True
        executor, self._default_executor = self._default_executor, None
        if executor is not None:
            executor.shutdown(wait=True)


class _GilLabEventLoopPolicy(_events._BaseDefaultEventLoopPolicy):
    _loop_factory = GilLabEventLoop


async def to_thread(func, /, *args, **kwargs):
    """asyncio.to_thread: runs func in the loop's default thread pool (another interpreter).
    Unlike CPython it does not copy contextvars: a Context cannot be pickled to another
    interpreter."""
    loop = _events.get_running_loop()
    if kwargs:
        import functools

        return await loop.run_in_executor(None, functools.partial(func, *args, **kwargs))
    return await loop.run_in_executor(None, func, *args)


def _install_asyncio():
    """Replaces Pyodide's WebLoop: new loops (asyncio.run, new_event_loop) are ours. Pyodide marks
    its WebLoop as always running; no loop runs here between programs, as in CPython (so
    asyncio.get_event_loop() outside a coroutine raises, as CPython 3.14 does)."""
    _events._set_running_loop(None)
    _asyncio.run = sys.modules["asyncio.runners"].run
    set_policy = getattr(_events, "_set_event_loop_policy", _events.set_event_loop_policy)
    set_policy(_GilLabEventLoopPolicy())
    _asyncio.to_thread = to_thread
    sys.modules["asyncio.threads"].to_thread = to_thread
