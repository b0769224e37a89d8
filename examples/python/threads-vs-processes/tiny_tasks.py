"""Many tiny tasks: a process pool spends more time posting work than doing it."""

import sys
import time
from concurrent.futures import ProcessPoolExecutor

TASKS = 5_000
if sys.platform == "emscripten":
    # In the browser each round trip to a process costs Run Python's pool about ten times what a
    # pipe costs CPython: 500 tasks show the same thing in about a second.
    TASKS = 500


def square(x: int) -> int:
    return x * x


if __name__ == "__main__":
    items = range(TASKS)

    start = time.perf_counter()
    expected = [square(x) for x in items]
    print(f"plain loop:   {time.perf_counter() - start:.3f} s")

    with ProcessPoolExecutor(max_workers=2) as pool:
        pool.submit(square, 0).result()  # don't count worker start-up
        start = time.perf_counter()
        results = list(pool.map(square, items))
        print(f"process pool: {time.perf_counter() - start:.3f} s")

    print(f"same results: {results == expected}")
