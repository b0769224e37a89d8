"""Start-up cost: a thread vs a process with each start method (fork, forkserver, spawn).

Each sample is start() + join() of a worker that does nothing, i.e. the full price of using a
fresh worker once. fork copies the parent's page tables; forkserver forks from a small, already
running server process; spawn starts a whole new interpreter and imports the target's module.
"""

from __future__ import annotations

import multiprocessing
import threading

from common.timing import repeat_ms, timing_ms

START_METHODS = ("fork", "forkserver", "spawn")


def noop() -> None:
    """Target of every worker: module-level, so spawn and forkserver children can import it."""


def _thread_once() -> None:
    thread = threading.Thread(target=noop)
    thread.start()
    thread.join()


def _process_once(ctx) -> None:
    process = ctx.Process(target=noop)
    process.start()
    process.join(timeout=60)  # guard: a worker that never exits must not hang the measurement


def run(quick: bool, log) -> dict:
    """Median start+join cost in milliseconds for a thread and for each process start method."""
    thread_runs = 20 if quick else 200
    process_runs = {"fork": 5, "forkserver": 5, "spawn": 3} if quick else {
        "fork": 40, "forkserver": 30, "spawn": 15
    }
    _thread_once()  # warm-up: first-use costs (imports, allocator growth) are not start-up
    thread = timing_ms(repeat_ms(_thread_once, thread_runs))
    processes = {}
    for method in START_METHODS:
        ctx = multiprocessing.get_context(method)
        _process_once(ctx)  # warm-up; for forkserver this also launches the server itself
        processes[method] = timing_ms(repeat_ms(lambda: _process_once(ctx), process_runs[method]))
    log(
        f"startup: thread {thread['medianMs']} ms, "
        + ", ".join(f"{m} {processes[m]['medianMs']} ms" for m in START_METHODS)
    )
    return {"thread": thread, "process": processes}
