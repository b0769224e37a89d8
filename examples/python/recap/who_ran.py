"""Seeing the GIL without tools: how much CPU time did each thread get, out of the wall-clock time?
time.thread_time() counts only the calling thread's CPU time."""

import hashlib
import sys
import threading
import time

DATA = bytes(1 << 20)
HASHES = 150  # 1 MiB each, per thread
if sys.platform == "emscripten":
    # In the browser (Pyodide) hashing runs several times slower than in a native python3: 150
    # took 42 s there on a busy machine; 20 take about a second on a quiet one, shares the same.
    HASHES = 20
report = {}


def python_loop(name: str) -> None:
    start = time.thread_time()
    n = 4_000_000
    while n > 0:
        n -= 1
    report[name] = time.thread_time() - start


def hashing(name: str) -> None:
    start = time.thread_time()
    for _ in range(HASHES):
        hashlib.sha256(DATA).digest()  # releases the GIL while it hashes
    report[name] = time.thread_time() - start


for label, target in (("two Python loops", python_loop), ("two hashing threads", hashing)):
    report.clear()
    threads = [threading.Thread(target=target, args=(f"t{i}",)) for i in range(2)]
    wall_start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall_start
    shares = ", ".join(f"{name} ran {cpu / wall:.0%} of the time" for name, cpu in sorted(report.items()))
    print(f"{label}: wall {wall:.2f} s; {shares}")
