# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order), and on its own the one-interpreter engine's `gil_lab_multiprocessing` module
# (green/worker-api.ts writes this text beside green_thread.py, which imports it): one definition
# of what multiprocessing says in both engines. Once imported, what would start an OS process
# says so and names ProcessPoolExecutor (it would fail later with "No module named
# '_multiprocessing'").

import sys

_NO_MULTIPROCESSING = (
    "GIL Lab: multiprocessing.{name} is not available here: the browser build of Python has no "
    "_multiprocessing module and cannot fork or spawn OS processes. Use "
    "concurrent.futures.ProcessPoolExecutor, which is supported: each process is its own "
    "interpreter with its own GIL, and arguments and results are pickled"
)
_MULTIPROCESSING_NAMES = (
    "Pool", "Manager", "Pipe", "Queue", "JoinableQueue", "SimpleQueue", "Lock", "RLock",
    "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier", "Value", "Array",
    "RawValue", "RawArray",
)


def _mp_refusal(name):
    def refuse(*args, **kwargs):
        raise NotImplementedError(_NO_MULTIPROCESSING.format(name=name))

    refuse.__name__ = name
    return refuse


def _patch_multiprocessing():
    """Once multiprocessing is imported: Pool, Process & co. say what to use instead. The
    interpreter's reset after a run undoes it (both engines put sys.modules back)."""
    mp = sys.modules.get("multiprocessing")
    context = sys.modules.get("multiprocessing.context")
    if mp is None or context is None or getattr(mp, "_gil_lab_patched", False):
        return
    mp._gil_lab_patched = True
    for name in _MULTIPROCESSING_NAMES:
        setattr(context.BaseContext, name, lambda self, *a, _n=name, **k: _mp_refusal(_n)())
        if hasattr(mp, name):
            setattr(mp, name, _mp_refusal(name))

    def start(self):
        raise NotImplementedError(_NO_MULTIPROCESSING.format(name="Process"))

    sys.modules["multiprocessing.process"].BaseProcess.start = start
