"""map(chunksize=...): send tiny tasks to a process pool in batches instead of one at a time."""

import sys
import time
from concurrent.futures import ProcessPoolExecutor

ITEMS = 20_000
if sys.platform == "emscripten":
    # In the browser each round trip to a process costs Run Python's pool about ten times what a
    # pipe costs CPython (chunksize=1 took 14 s for 20,000 items on a quiet machine, 30 s on a busy
    # one): 5,000 show the same thing in a few seconds.
    ITEMS = 5_000


def square(x: int) -> int:
    return x * x


if __name__ == "__main__":
    items = range(ITEMS)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pool.submit(square, 0).result()  # don't count worker start-up
        for chunksize in (1, 100, 1_000):
            start = time.perf_counter()
            total = sum(pool.map(square, items, chunksize=chunksize))
            print(f"chunksize={chunksize:<5} {time.perf_counter() - start:.3f} s (total {total})")
