"""C code that releases the GIL: hashing and compressing in four threads."""

import hashlib
import random
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

MiB = 1 << 20

# hashlib releases the GIL for inputs of 2048 bytes or more; zlib releases it while it compresses.
# The same setup as the reference figures in "Escaping the GIL": sha256 hashes a 1 MiB buffer 256
# times per task (with much bigger buffers, memory bandwidth rather than the GIL limits the
# speed-up), and zlib compresses one 16 MiB buffer per task. Random bytes, seeded: incompressible,
# so zlib's pace is steady.
PASSES, ZLIB_MiB = 256, 16
if sys.platform == "emscripten":
    # In the browser (Pyodide) hashing and compressing run several times slower than in a native
    # python3: the full setup took almost 4 minutes there; a sixteenth and an eighth keep it to
    # seconds.
    PASSES, ZLIB_MiB = 16, 2
hash_buffers = [random.Random(i).randbytes(1 * MiB) for i in range(4)]
zlib_buffers = [random.Random(10 + i).randbytes(ZLIB_MiB * MiB) for i in range(4)]


def sha256(data: bytes) -> str:
    digest = hashlib.sha256()
    for _ in range(PASSES):  # 256 MiB per task in python3: long enough to time
        digest.update(data)
    return digest.hexdigest()


def compress(data: bytes) -> int:
    return len(zlib.compress(data, 6))


for work, buffers in ((sha256, hash_buffers), (compress, zlib_buffers)):
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
