"""The 2048-byte cliff. hashlib releases the GIL only while it hashes an input of at least
HASHLIB_GIL_MINSIZE = 2048 bytes (Modules/hashlib.h). Four threads hash the same total amount as
separate messages of 2,047 bytes, 2,048 bytes and 1 MiB: predict each speed-up with Amdahl's law,
then measure it."""

import hashlib
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

TOTAL = 32 << 20  # bytes hashed per task (32 MiB)
if sys.platform == "emscripten":
    # In the browser (Pyodide) hashing runs several times slower than in a native python3, and
    # 32 MiB per task would take over a minute: 4 MiB keeps the run to seconds.
    TOTAL = 4 << 20
THREADS = 4
CORES = min(THREADS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def task(chunk: bytes) -> None:
    """TOTAL bytes as separate messages: a new hash object per message, so each call decides on
    its own whether to release the GIL (an object that once released it keeps doing so)."""
    for _ in range(TOTAL // len(chunk)):
        hashlib.sha256(chunk).digest()


def per_call(chunk: bytes, calls: int = 2000) -> float:
    """Seconds per hashlib.sha256(chunk).digest(), best of five tries (least disturbed)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            hashlib.sha256(chunk).digest()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def wall(chunk: bytes, threads: int) -> float:
    """Seconds for all THREADS tasks, one after the other (threads=1) or in a pool; best of three,
    since other work on the machine can only ever add time."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        if threads == 1:
            for _ in range(THREADS):
                task(chunk)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(task, [chunk] * THREADS))
        best = min(best, time.perf_counter() - start)
    return best


overhead = per_call(b"x")  # a 1-byte message: all of it is call overhead, under the GIL
print(f"cores for the threads: {CORES}; overhead of one call under the GIL: {overhead * 1e6:.2f} us")
for size in (2047, 2048, 1 << 20):
    chunk = bytes(size)
    t = per_call(chunk, calls=max(20, 2_000_000 // size))
    # Amdahl: the part of each call that runs without the GIL can use every core; the rest cannot.
    parallel = max(0.0, (t - overhead) / t) if size >= 2048 else 0.0
    predicted = 1 / ((1 - parallel) + parallel / CORES)
    measured = wall(chunk, 1) / wall(chunk, THREADS)
    print(f"{size:>9,} bytes: {parallel:4.0%} of each call without the GIL -> "
          f"predicted {predicted:.2f}x, measured {measured:.2f}x")
