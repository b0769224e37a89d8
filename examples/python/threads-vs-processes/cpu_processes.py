"""The same CPU-bound countdown in two threads and in two processes."""

import multiprocessing
import time
from threading import Thread


def countdown(n: int) -> None:
    while n > 0:
        n -= 1


N = 15_000_000  # as in countdown.py (lesson 1)


def timed(label: str, workers: list) -> None:
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"{label}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":  # required: spawn and forkserver re-import this file in each child
    timed("2 threads", [Thread(target=countdown, args=(N,)) for _ in range(2)])

    method = multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(method)
    timed(f"2 processes ({method})", [ctx.Process(target=countdown, args=(N,)) for _ in range(2)])
