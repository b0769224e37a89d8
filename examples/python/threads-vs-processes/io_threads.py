"""Four blocking waits, one after the other and then in four threads."""

import time
from threading import Thread

WAIT = 0.25
waits = []  # (start, end) of every wait; list.append is safe from several threads


def fetch(seconds: float) -> None:
    """Stands in for a download: time.sleep releases the GIL exactly as a blocking recv() does."""
    start = time.perf_counter()
    time.sleep(seconds)
    waits.append((start, time.perf_counter()))


def all_waiting_at_once() -> bool:
    """True if every wait had started before the first one ended."""
    return max(start for start, _ in waits) < min(end for _, end in waits)


start = time.perf_counter()
for _ in range(4):
    fetch(WAIT)
elapsed = time.perf_counter() - start
print(f"sequential: {elapsed:.2f} s, all 4 waiting at once: {all_waiting_at_once()}")

waits.clear()
start = time.perf_counter()
threads = [Thread(target=fetch, args=(WAIT,)) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start
print(f"4 threads:  {elapsed:.2f} s, all 4 waiting at once: {all_waiting_at_once()}")
