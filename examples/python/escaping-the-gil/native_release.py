"""C code that releases the GIL: hashing and compressing in four threads."""

import hashlib
import random
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

# hashlib releases the GIL for inputs of 2048 bytes or more; zlib releases it while it compresses.
buffers = [random.Random(i).randbytes(8_000_000) for i in range(4)]  # 8 MB each, seeded


def sha256(data: bytes) -> str:
    digest = hashlib.sha256()
    for _ in range(8):  # 64 MB per task: long enough to time
        digest.update(data)
    return digest.hexdigest()


def compress(data: bytes) -> int:
    return len(zlib.compress(data, 6))


for work in (sha256, compress):
    start = time.perf_counter()
    expected = [work(data) for data in buffers]
    sequential = time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, buffers))
    threaded = time.perf_counter() - start

    assert results == expected
    print(f"{work.__name__}: sequential {sequential:.2f} s, 4 threads {threaded:.2f} s, "
          f"speed-up {sequential / threaded:.2f}x")
