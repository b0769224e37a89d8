"""CPU-bound work from asyncio: hand it to a process pool with run_in_executor."""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def countdown(n: int) -> int:
    while n > 0:
        n -= 1
    return n


async def ticker(ticks: list) -> None:
    """Stands in for the rest of the program: wants to run every 20 ms."""
    while True:
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.02)


async def main(pool: ProcessPoolExecutor) -> None:
    loop = asyncio.get_running_loop()
    ticks: list = []
    tick_task = asyncio.create_task(ticker(ticks))
    start = time.perf_counter()
    # Each call returns an awaitable; the loop stays free while the processes compute.
    results = await asyncio.gather(
        *(loop.run_in_executor(pool, countdown, 15_000_000) for _ in range(2))
    )
    end = time.perf_counter()
    tick_task.cancel()
    print(f"2 countdowns in a process pool: {results}, {end - start:.2f} s")
    print(f"the loop ticked {sum(start < t < end for t in ticks)} times meanwhile")


if __name__ == "__main__":
    # The pool lives outside the event loop: `with` ends in shutdown(wait=True), which blocks
    # whichever thread calls it until the workers have exited. Here that is after the loop is done.
    with ProcessPoolExecutor(max_workers=2) as pool:
        asyncio.run(main(pool))
