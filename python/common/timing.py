"""Timing, medians and rounding shared by every experiment."""

from __future__ import annotations

import statistics
import time
from typing import Callable

# Figures are rounded once, when stored. Ratios are computed from the *stored* (rounded) medians
# so that the JSON is self-consistent: a reader dividing two medians gets the stored ratio.
SECONDS_DIGITS = 5  # 10 µs: far below the noise of a shared 2-core machine
MS_DIGITS = 4
RATIO_DIGITS = 3


def time_once(fn: Callable[[], object]) -> float:
    """Wall-clock seconds for one call of fn (perf_counter: monotonic, highest resolution)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def repeat_ms(fn: Callable[[], object], runs: int) -> list[float]:
    """Run fn `runs` times; rounded milliseconds of each run (for short things like start-up)."""
    return [round(time_once(fn) * 1000, MS_DIGITS) for _ in range(runs)]


def median(values: list[float], digits: int = SECONDS_DIGITS) -> float:
    """Rounded median: robust against the odd run disturbed by another process on the machine."""
    return round(statistics.median(values), digits)


def timing_s(runs_s: list[float]) -> dict:
    """The {runsS, medianS} pair every timed variant carries."""
    return {"runsS": runs_s, "medianS": median(runs_s)}


def timing_ms(runs_ms: list[float]) -> dict:
    """The {runsMs, medianMs} pair for millisecond-scale figures."""
    return {"runsMs": runs_ms, "medianMs": median(runs_ms, MS_DIGITS)}


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator rounded for storage (both already rounded)."""
    return round(numerator / denominator, RATIO_DIGITS)


def interleaved_s(variants: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Run each variant once per round, `runs` rounds, and return rounded seconds per variant.

    Round-robin rather than all runs of one variant in a block: on a shared machine a burst of
    load then hits every variant a little instead of one variant entirely, which would skew ratios.
    """
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, fn in variants.items():
            results[name].append(round(time_once(fn), SECONDS_DIGITS))
    return results
