"""One interface, two executors: switching from threads to processes is a one-line change."""

import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def countdown(n: int) -> int:
    while n > 0:
        n -= 1
    return n


def run(executor_class) -> None:
    start = time.perf_counter()
    with executor_class(max_workers=2) as pool:  # `with` waits for the work, then shuts down
        results = list(pool.map(countdown, [5_000_000, 5_000_000]))
    elapsed = time.perf_counter() - start
    print(f"{executor_class.__name__}: {elapsed:.2f} s, results {results}")


if __name__ == "__main__":
    run(ThreadPoolExecutor)
    run(ProcessPoolExecutor)  # the only change: the class

    # What the executors pick when you leave max_workers out, computed here with the documented
    # formulas rather than read from a pool (3.13+ counts only the CPUs this process may use;
    # on Windows the process pool's default is also capped at 61).
    cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
    print(f"CPUs: {cpus}; defaults computed as min(32, CPUs + 4) = {min(32, cpus + 4)} threads, "
          f"CPUs = {cpus} processes")
