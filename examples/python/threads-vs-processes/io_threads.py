"""Four blocking waits, one after the other and then in four threads."""

import time
from threading import Thread


def fetch(seconds: float) -> None:
    """Stands in for a download: time.sleep releases the GIL exactly as a blocking recv() does."""
    time.sleep(seconds)


WAIT = 0.25

start = time.perf_counter()
for _ in range(4):
    fetch(WAIT)
print(f"sequential: {time.perf_counter() - start:.2f} s")

start = time.perf_counter()
threads = [Thread(target=fetch, args=(WAIT,)) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"4 threads:  {time.perf_counter() - start:.2f} s")
