"""Tiny tasks: a thousand countdowns of about 0.1 ms each, on a 2-process pool vs a plain loop.

The widget's "tiny-tasks" preset in CPython: every task is pickled, sent to a worker process
through a pipe, run, and its result sent back, so the pool pays that round trip per task while
the loop pays nothing. The pool (fork, 2 workers) is created inside the timed region, as in the
widget, whose process pools also count their start-up.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from common.timing import interleaved_s, median, ratio, time_once, timing_ms, timing_s

WORKERS = 2
TASK_TARGET_MS = 0.1


def countdown(n: int) -> None:
    """Pure bytecode, as in the countdown experiment."""
    while n > 0:
        n -= 1


def _calibrate(target_s: float) -> int:
    """n so that one countdown(n) takes about target_s here (timed over many, for resolution)."""
    probe = 1_000_000
    per_unit_s = median([time_once(lambda: countdown(probe)) for _ in range(3)]) / probe
    return max(1, round(target_s / per_unit_s))


def _loop(n: int, tasks: int) -> None:
    for _ in range(tasks):
        countdown(n)


def noop(_n: int) -> None:
    """No work: a task whose whole cost is its trip through the pool."""


def _send_per_task_ms(tasks: int, runs: int) -> dict:
    """What one task's trip through a warm pool costs the parent, ms: no-op tasks, start-up outside.

    The parent process pickles each task, hands it to the pool's management thread and queue
    feeder, and reads the result back, all under its own GIL, one task at a time: with two
    workers and no work, the parent is the bottleneck, so total time ÷ tasks is its cost per task.
    """
    ctx = multiprocessing.get_context("fork")
    runs_ms: list[float] = []
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx) as pool:
        list(pool.map(noop, range(4 * WORKERS)))  # workers started and warm

        def batch() -> None:
            for future in [pool.submit(noop, 0) for _ in range(tasks)]:
                future.result()

        for _ in range(runs):
            runs_ms.append(round(time_once(batch) * 1000 / tasks, 4))
    return timing_ms(runs_ms)


def _pool(n: int, tasks: int) -> None:
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx) as pool:
        for future in [pool.submit(countdown, n) for _ in range(tasks)]:
            future.result()


def run(quick: bool, log) -> dict:
    """Plain loop vs the pool, interleaved rounds; speedup = loop median / pool median."""
    tasks = 100 if quick else 1000
    runs = 2 if quick else 9
    n = _calibrate(TASK_TARGET_MS / 1000)
    log(f"tinyTasks: {tasks} tasks of countdown({n:,}) ~{TASK_TARGET_MS} ms, {runs} rounds")
    _pool(n, WORKERS)  # untimed: first-use costs of the pool machinery are not the shape
    times = interleaved_s({"loop": lambda: _loop(n, tasks), "pool": lambda: _pool(n, tasks)}, runs)
    loop = timing_s(times["loop"])
    pool = timing_s(times["pool"])
    pool["speedup"] = ratio(loop["medianS"], pool["medianS"])
    log(f"tinyTasks: loop {loop['medianS']} s, pool {pool['medianS']} s ({pool['speedup']}x)")
    send = _send_per_task_ms(tasks, runs)
    log(f"tinyTasks: sending one no-op task through the warm pool: {send['medianMs']} ms")
    return {
        "n": n,
        "tasks": tasks,
        "workers": WORKERS,
        "startMethod": "fork",
        "taskTargetMs": TASK_TARGET_MS,
        "runsPerVariant": runs,
        "loop": loop,
        "pool": pool,
        "sendPerTask": send,
    }
