"""Four blocking waits, one after the other and then in four threads."""

import time
from concurrent.futures import ThreadPoolExecutor

WAIT = 0.25


def fetch(seconds: float) -> tuple[float, float]:
    """Stands in for a download: time.sleep releases the GIL exactly as a blocking recv() does.

    Returns when the wait started and ended (wall-clock time, the same clock in every thread).
    """
    start = time.time()
    time.sleep(seconds)
    return start, time.time()


def all_waiting_at_once(waits: list[tuple[float, float]]) -> bool:
    """True if every wait had started before the first one ended."""
    return max(start for start, _ in waits) < min(end for _, end in waits)


if __name__ == "__main__":
    start = time.perf_counter()
    waits = [fetch(WAIT) for _ in range(4)]
    elapsed = time.perf_counter() - start
    print(f"sequential: {elapsed:.2f} s, all 4 waiting at once: {all_waiting_at_once(waits)}")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        waits = list(pool.map(fetch, [WAIT] * 4))
    elapsed = time.perf_counter() - start
    print(f"4 threads:  {elapsed:.2f} s, all 4 waiting at once: {all_waiting_at_once(waits)}")
