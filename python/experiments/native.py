"""Native code releasing the GIL: hashlib and zlib run their C loops without holding it.

hashlib drops the GIL for buffers of 2048 bytes or more and zlib around (de)compression, so
threads calling them run truly in parallel, up to the number of cores.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from concurrent.futures import ThreadPoolExecutor

from common.timing import interleaved_s, ratio, timing_s

TASKS = 4
ZLIB_LEVEL = 6  # zlib's default


def _sha256_task(buffer: bytes, passes: int) -> None:
    digest = hashlib.sha256()
    for _ in range(passes):
        digest.update(buffer)  # update() releases the GIL for the whole pass (buffer ≥ 2048 B)
    digest.digest()


def _zlib_task(buffer: bytes, passes: int) -> None:
    for _ in range(passes):
        zlib.compress(buffer, ZLIB_LEVEL)


def _compare(task, buffers: list[bytes], passes: int, runs: int) -> dict:
    """The same TASKS tasks one after another vs TASKS threads at once."""

    def sequential() -> None:
        for buffer in buffers:
            task(buffer, passes)

    def threaded() -> None:
        with ThreadPoolExecutor(max_workers=TASKS) as pool:
            for future in [pool.submit(task, buffer, passes) for buffer in buffers]:
                future.result()

    times = interleaved_s({"sequential": sequential, "threaded": threaded}, runs)
    seq, thr = timing_s(times["sequential"]), timing_s(times["threaded"])
    buffer_mb = len(buffers[0]) / (1 << 20)
    return {
        "bufferMB": buffer_mb,
        "passesPerTask": passes,
        "mbPerTask": buffer_mb * passes,
        "sequential": seq,
        "threaded": thr,
        "speedup": ratio(seq["medianS"], thr["medianS"]),
    }


def run(quick: bool, log) -> dict:
    """sha256 and zlib.compress: TASKS tasks sequentially vs in TASKS threads."""
    runs = 2 if quick else 5
    # Each task gets its own random (incompressible, so zlib's pace is steady) buffer.
    # sha256 uses 1 MiB buffers hashed many times: on this kind of VM hashing 64 MiB buffers is
    # bound by memory bandwidth, which would hide the GIL effect behind a different bottleneck
    # (and tasks sharing one big buffer share its cache lines, overstating the speedup).
    sha_passes, zlib_mb = (32, 2) if quick else (256, 16)
    sha256 = _compare(_sha256_task, [os.urandom(1 << 20) for _ in range(TASKS)], sha_passes, runs)
    zlib_buffers = [os.urandom(zlib_mb << 20) for _ in range(TASKS)]
    compress = _compare(_zlib_task, zlib_buffers, 1, runs)
    del zlib_buffers
    log(f"native: sha256 {sha256['speedup']}x, zlib {compress['speedup']}x with {TASKS} threads")
    return {
        "tasks": TASKS,
        "threads": TASKS,
        "runsPerVariant": runs,
        "zlibLevel": ZLIB_LEVEL,
        "sha256": sha256,
        "zlib": compress,
    }
