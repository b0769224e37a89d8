"""I/O threads: time.sleep releases the GIL, so waiting threads overlap almost perfectly."""

from __future__ import annotations

import threading
import time

from common.timing import interleaved_s, ratio, timing_s


def _sleeper(sleeps: int, sleep_s: float) -> None:
    # Stands in for blocking I/O: like a socket read, time.sleep drops the GIL while it waits.
    for _ in range(sleeps):
        time.sleep(sleep_s)


def _sequential(threads: int, sleeps: int, sleep_s: float) -> None:
    for _ in range(threads):
        _sleeper(sleeps, sleep_s)


def _threaded(threads: int, sleeps: int, sleep_s: float) -> None:
    workers = [threading.Thread(target=_sleeper, args=(sleeps, sleep_s)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def run(quick: bool, log) -> dict:
    """N threads × k sleeps, against the same sleeps done one after another."""
    threads, sleeps, sleep_s = 4, 10, 0.02
    if quick:
        sleeps = 3
    runs = 2 if quick else 7
    times = interleaved_s(
        {
            "sequential": lambda: _sequential(threads, sleeps, sleep_s),
            "threaded": lambda: _threaded(threads, sleeps, sleep_s),
        },
        runs,
    )
    sequential, threaded = timing_s(times["sequential"]), timing_s(times["threaded"])
    threaded["ratioVsSequential"] = ratio(threaded["medianS"], sequential["medianS"])
    threaded["speedup"] = ratio(sequential["medianS"], threaded["medianS"])
    log(
        f"ioThreads: sequential {sequential['medianS']} s, {threads} threads "
        f"{threaded['medianS']} s ({threaded['speedup']}x faster)"
    )
    return {
        "threads": threads,
        "sleepsPerThread": sleeps,
        "sleepS": sleep_s,
        "idealSequentialS": round(threads * sleeps * sleep_s, 5),
        "idealThreadedS": round(sleeps * sleep_s, 5),
        "runsPerVariant": runs,
        "sequential": sequential,
        "threaded": threaded,
    }
