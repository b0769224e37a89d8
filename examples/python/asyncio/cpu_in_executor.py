"""CPU-bound work from asyncio: hand it to a process pool with run_in_executor."""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def countdown(n: int) -> int:
    while n > 0:
        n -= 1
    return n


async def main() -> None:
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        # Each call returns an awaitable; the loop stays free while the processes compute.
        results = await asyncio.gather(
            *(loop.run_in_executor(pool, countdown, 5_000_000) for _ in range(2))
        )
    print(f"2 countdowns in a process pool: {results}, {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
