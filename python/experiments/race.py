"""Race: `counter += 1` is several bytecodes, so the GIL does not make it atomic.

On 3.11 a thread switch happens only where the eval breaker is checked: loop back-edges and calls.
A plain `counter += 1` loop therefore never switches between the read and the write and loses
nothing, by luck of the implementation. Put a call between read and write and a switch can land
there: the stale value written afterwards erases the other thread's increments. A Lock fixes it.
"""

from __future__ import annotations

import statistics
import threading
import time

from common.timing import SECONDS_DIGITS, median

THREADS = 2
counter = 0  # the shared global every variant increments
_lock = threading.Lock()


def _nothing() -> None:
    """A Python-level call: entering it is a point where the GIL may change hands."""


def _plain(n: int) -> None:
    global counter
    for _ in range(n):
        counter += 1


def _call_between(n: int) -> None:
    global counter
    for _ in range(n):
        tmp = counter
        _nothing()
        counter = tmp + 1


def _locked(n: int) -> None:
    global counter
    for _ in range(n):
        with _lock:
            counter += 1


VARIANTS = {"plain": _plain, "callBetween": _call_between, "locked": _locked}


def _one_run(worker, n: int) -> tuple[int, float]:
    """Run THREADS workers released together by a barrier; return (final counter, seconds)."""
    global counter
    counter = 0
    barrier = threading.Barrier(THREADS)

    def body() -> None:
        barrier.wait()  # start together, otherwise the first thread may finish before the second
        worker(n)

    threads = [threading.Thread(target=body) for _ in range(THREADS)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter, time.perf_counter() - t0


def run(quick: bool, log) -> dict:
    """Expected vs actual totals and the share of increments lost, per variant."""
    n = 200_000 if quick else 1_000_000
    runs = 2 if quick else 5
    expected = THREADS * n
    variants = {}
    for name, worker in VARIANTS.items():
        totals, seconds = [], []
        for _ in range(runs):
            total, elapsed = _one_run(worker, n)
            totals.append(total)
            seconds.append(round(elapsed, SECONDS_DIGITS))
        lost_shares = [round((expected - t) / expected, 4) for t in totals]
        variants[name] = {
            "actualTotals": totals,
            "medianActualTotal": int(statistics.median(totals)),
            "lostShares": lost_shares,
            "medianLostShare": round(statistics.median(lost_shares), 4),
            "maxLostShare": max(lost_shares),
            "runsS": seconds,
            "medianS": median(seconds),
        }
        log(
            f"race: {name}: median total {variants[name]['medianActualTotal']:,} of {expected:,} "
            f"(lost {variants[name]['medianLostShare']:.1%}), {variants[name]['medianS']} s"
        )
    return {
        "threads": THREADS,
        "incrementsPerThread": n,
        "expectedTotal": expected,
        "runsPerVariant": runs,
        "variants": variants,
    }
