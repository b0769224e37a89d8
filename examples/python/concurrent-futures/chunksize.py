"""map(chunksize=...): send tiny tasks to a process pool in batches instead of one at a time."""

import time
from concurrent.futures import ProcessPoolExecutor


def square(x: int) -> int:
    return x * x


if __name__ == "__main__":
    items = range(20_000)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pool.submit(square, 0).result()  # don't count worker start-up
        for chunksize in (1, 100, 1_000):
            start = time.perf_counter()
            total = sum(pool.map(square, items, chunksize=chunksize))
            print(f"chunksize={chunksize:<5} {time.perf_counter() - start:.3f} s (total {total})")
