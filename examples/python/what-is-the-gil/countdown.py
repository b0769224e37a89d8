"""Two CPU-bound countdowns: one after the other, then in two threads at once."""

import sys
import time
from threading import Thread


def countdown(n: int) -> None:
    """Pure Python bytecode: no I/O, no C call that could release the GIL."""
    while n > 0:
        n -= 1


N = 15_000_000  # the size the experiments' Python and the playground count down from too

start = time.perf_counter()
countdown(N)
countdown(N)
sequential = time.perf_counter() - start
print(f"sequential: {sequential:.2f} s")

start = time.perf_counter()
threads = [Thread(target=countdown, args=(N,)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
threaded = time.perf_counter() - start
print(f"2 threads:  {threaded:.2f} s ({threaded / sequential:.2f} x sequential)")

# sys._is_gil_enabled() exists from 3.13; older versions always have the GIL.
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
print(f"GIL enabled: {gil}")
