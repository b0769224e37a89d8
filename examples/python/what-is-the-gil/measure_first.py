"""Measure first: is this code computing or waiting? And if computing, can threads share it?"""

import hashlib
import threading
import time

DATA = bytes(1 << 20)  # 1 MiB of zeros


def python_loop() -> None:
    """Pure Python bytecode: holds the GIL the whole time."""
    n = 3_000_000
    while n > 0:
        n -= 1


def c_hashing() -> None:
    """C code: hashlib lets go of the GIL while it hashes buffers of 2048 bytes or more."""
    for _ in range(200):
        hashlib.sha256(DATA).digest()


def waiting() -> None:
    time.sleep(0.3)  # stands in for a network or disk wait


def cpu_per_wall(fn, threads: int) -> float:
    """Run fn in `threads` threads at once; CPU time of the whole process over wall-clock time."""
    workers = [threading.Thread(target=fn) for _ in range(threads)]
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return (time.process_time() - cpu_start) / (time.perf_counter() - wall_start)


for name, fn in (("python_loop", python_loop), ("c_hashing", c_hashing), ("waiting", waiting)):
    one, two = cpu_per_wall(fn, 1), cpu_per_wall(fn, 2)
    if one < 0.2:  # a busy machine lowers cpu/wall too, but not this far for code that computes
        verdict = "waiting: threads overlap the waits"
    elif two > 1.5:
        verdict = "computing, in parallel: threads help"
    else:
        verdict = "computing, one thread at a time: threads do not help"
    print(f"{name:<12} cpu/wall 1 thread {one:.2f}, 2 threads {two:.2f} -> {verdict}")
