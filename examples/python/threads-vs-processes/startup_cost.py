"""What it costs to start one process that does nothing, per start method."""

import multiprocessing
import time
from threading import Thread


def nothing() -> None:
    pass


def startup_ms(start) -> float:
    """Median of 5 start-and-join round trips, in milliseconds."""
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        worker = start()
        worker.start()
        worker.join()
        samples.append((time.perf_counter() - t0) * 1000)
    return sorted(samples)[len(samples) // 2]


if __name__ == "__main__":
    print(f"{'thread:':12}{startup_ms(lambda: Thread(target=nothing)):8.2f} ms")
    # Windows offers only spawn; macOS defaults to spawn (3.8+); Linux to fork (forkserver in 3.14).
    for method in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context(method)
        cost = startup_ms(lambda: ctx.Process(target=nothing))
        print(f"{method + ':':12}{cost:8.2f} ms")
