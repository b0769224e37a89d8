"""Futures: submit work, then ask for results, exceptions, completion order or cancellation."""

import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait


def slow_square(x: int, seconds: float) -> int:
    time.sleep(seconds)
    if x < 0:
        raise ValueError(f"negative input: {x}")
    return x * x


with ThreadPoolExecutor(max_workers=3) as pool:
    # submit() returns at once with a Future; result() blocks until the value is there.
    future = pool.submit(slow_square, 7, 0.1)
    print(f"done right after submit? {future.done()}")
    print(f"result: {future.result()}")

    # An exception in the task is stored in its future, and raised again by result().
    failing = pool.submit(slow_square, -1, 0.0)
    print(f"exception: {failing.exception()!r}")

    # as_completed yields futures in the order they finish, not the order they were submitted.
    futures = {pool.submit(slow_square, x, s): x for x, s in ((1, 0.6), (2, 0.1), (3, 0.35))}
    print("finished in order:", [futures[f] for f in as_completed(futures)])

    # wait() splits futures into (done, not_done); here we stop at the first to finish.
    quick = pool.submit(slow_square, 4, 0.05)
    slow = pool.submit(slow_square, 5, 0.5)
    done, not_done = wait([quick, slow], return_when=FIRST_COMPLETED)
    print(f"first completed: {[f.result() for f in done]}, still running: {len(not_done)}")

    # A callback runs when the future finishes (in the worker thread, or at once if already done).
    slow.add_done_callback(lambda f: print(f"callback got {f.result()}"))

with ThreadPoolExecutor(max_workers=1) as single:
    busy = single.submit(time.sleep, 0.2)
    queued = single.submit(slow_square, 6, 0.0)  # waits: the only worker is busy
    print(f"cancel queued task: {queued.cancel()}, cancelled: {queued.cancelled()}")
    print(f"cancel running task: {busy.cancel()}")
