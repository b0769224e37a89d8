"""No GIL, no speed-up: threads that each update their own dict scale on a free-threaded build;
the same threads updating one shared dict mostly wait for each other. Per-thread state, merged at
the end, is the fix. On a build with the GIL, neither scales: one thread runs bytecode at a time."""

import os
import sys
import threading
import time

N = 400_000  # updates per thread
THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def update(counts: dict, key_base: int) -> None:
    for i in range(N):
        key = key_base + (i & 63)  # 64 keys per thread
        counts[key] = counts.get(key, 0) + 1  # not atomic: the shared dict can lose updates


def run(threads: int, shared: bool) -> tuple[float, int]:
    one = {}
    own = [{} for _ in range(threads)]
    workers = [
        threading.Thread(target=update, args=(one if shared else own[t], 0 if shared else 64 * t))
        for t in range(threads)
    ]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    total = sum(one.values()) if shared else sum(sum(d.values()) for d in own)  # merge at the end
    return elapsed, total


gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
print(f"Python {sys.version.split()[0]}, GIL enabled: {gil}, threads: {THREADS}")
base, _ = run(1, shared=False)
for shared in (False, True):
    elapsed, total = run(THREADS, shared)
    work = THREADS * N
    label = "one shared dict" if shared else "a dict per thread"
    print(f"{label:<18}: {THREADS} x {N:,} updates in {elapsed:.2f} s, "
          f"{THREADS * base / elapsed:.2f}x the rate of 1 thread, lost updates: {work - total:,}")
