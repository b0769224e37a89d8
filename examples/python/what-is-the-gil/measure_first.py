"""Measure first: is this code computing or waiting? Compare CPU time with wall-clock time."""

import time


def compute() -> None:
    n = 5_000_000
    while n > 0:
        n -= 1


def wait() -> None:
    time.sleep(0.3)  # stands in for a network or disk wait


def profile(name, fn) -> None:
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    fn()
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    verdict = "computing" if cpu / wall > 0.5 else "waiting"
    print(f"{name}: wall {wall:.2f} s, cpu {cpu:.2f} s, cpu/wall {cpu / wall:.2f} -> {verdict}")


profile("compute", compute)
profile("wait", wait)
