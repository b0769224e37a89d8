"""Processes share no objects: arguments and results travel pickled. Bytes are cheap; object graphs are not."""

import pickle
import time
from concurrent.futures import ProcessPoolExecutor


def size(data) -> int:
    return len(data)


if __name__ == "__main__":
    blob = bytes(8_000_000)  # 8 MB in one buffer
    numbers = list(range(1_000_000))  # a million separate int objects

    for label, payload in (("8 MB of bytes", blob), ("1M ints in a list", numbers)):
        print(f"{label}: pickles to {len(pickle.dumps(payload)) / 1e6:.1f} MB")

    with ProcessPoolExecutor(max_workers=1) as pool:
        pool.submit(size, b"").result()  # start the worker first, so we time only the transfer
        for label, payload in (("8 MB of bytes", blob), ("1M ints in a list", numbers)):
            start = time.perf_counter()
            pool.submit(size, payload).result()
            print(f"{label}: sent to a worker in {(time.perf_counter() - start) * 1000:.0f} ms")
