"""Countdown: pure-Python CPU work run sequentially, in threads and in processes.

Under the GIL only one thread runs Python bytecode at a time, so two threads take at least as long
as running the work twice in a row; processes each have their own interpreter and GIL, so on two
cores they finish in about the time of one run (plus their start-up cost).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from common.timing import interleaved_s, median, ratio, time_once, timing_s

START_METHODS = ("fork", "forkserver", "spawn")


def countdown(n: int) -> None:
    """The classic Beazley loop: nothing but bytecode, never releases the GIL voluntarily."""
    while n > 0:
        n -= 1


def _calibrate(target_s: float) -> int:
    """Choose n so that one countdown takes about target_s on this machine right now."""
    probe = 1_000_000
    per_unit_s = median([time_once(lambda: countdown(probe)) for _ in range(3)]) / probe
    # Round to whole millions (or 100k in quick mode) so the figure reads well in the lessons.
    step = 1_000_000 if target_s >= 0.1 else 100_000
    return max(step, round(target_s / per_unit_s / step) * step)


def _sequential(n: int, times: int) -> None:
    for _ in range(times):
        countdown(n)


def _threads(n: int, workers: int) -> None:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(countdown, n) for _ in range(workers)]:
            future.result()


def _processes(n: int, workers: int, method: str) -> None:
    # The pool is created inside the timed region on purpose: the lessons compare what a user
    # pays end to end, and process start-up is exactly what separates fork from spawn.
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for future in [pool.submit(countdown, n) for _ in range(workers)]:
            future.result()


def _compared(runs_s: list[float], baseline_median_s: float) -> dict:
    timing = timing_s(runs_s)
    timing["ratioVsSequential"] = ratio(timing["medianS"], baseline_median_s)
    return timing


def run(quick: bool, log) -> dict:
    """Measure every variant; ratios compare with sequential runs of the same total work."""
    runs = 2 if quick else 9
    n = _calibrate(0.03 if quick else 0.3)
    log(f"countdown: n={n:,}, {runs} rounds of every variant")
    for method in START_METHODS:
        # An untimed pool first: it starts the forkserver process (once per parent), so timed
        # runs show the steady-state cost a long-running program would see.
        _processes(1000, 1, method)

    variants = {
        "once": lambda: countdown(n),
        "sequentialTwice": lambda: _sequential(n, 2),
        "sequentialFour": lambda: _sequential(n, 4),
        "threads2": lambda: _threads(n, 2),
        "threads4": lambda: _threads(n, 4),
    }
    for method in START_METHODS:
        variants[method] = lambda method=method: _processes(n, 2, method)
    times = interleaved_s(variants, runs)

    twice = timing_s(times["sequentialTwice"])
    four = timing_s(times["sequentialFour"])
    result = {
        "n": n,
        "runsPerVariant": runs,
        "once": timing_s(times["once"]),
        "sequentialTwice": twice,
        "sequentialFour": four,
        "threads2": _compared(times["threads2"], twice["medianS"]),
        "threads4": _compared(times["threads4"], four["medianS"]),
        "processes2": {m: _compared(times[m], twice["medianS"]) for m in START_METHODS},
    }
    processes = result["processes2"]
    log(
        f"countdown: once {result['once']['medianS']} s, twice {twice['medianS']} s, "
        f"2 threads {result['threads2']['ratioVsSequential']}x, "
        f"4 threads {result['threads4']['ratioVsSequential']}x, 2 processes "
        + ", ".join(f"{m} {processes[m]['ratioVsSequential']}x" for m in START_METHODS)
    )
    return result
