"""Two threads count down. Run it with the GIL on, then off, and watch the timeline."""
import time
from concurrent.futures import ThreadPoolExecutor


def countdown(n):
    while n > 0:
        n -= 1
    return n


N = 15_000_000  # the size of countdown.py in lesson 1 and of the experiments' Python

if __name__ == "__main__":
    start = time.perf_counter()
    countdown(N)
    countdown(N)
    print(f"one after another: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(countdown, [N, N]))
    print(f"two threads:       {time.perf_counter() - start:.2f} s")
    print("results:", results)
