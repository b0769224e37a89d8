"""One blocking call stalls every task on the loop; asyncio.to_thread moves it out of the way."""

import asyncio
import time


async def ticker(ticks: list) -> None:
    """Wants to run every 50 ms, like a heartbeat or a request handler."""
    for _ in range(6):
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.05)


def blocking_read() -> None:
    time.sleep(0.3)  # stands in for a blocking library call: it never yields to the loop


async def run(offload: bool) -> str:
    ticks: list = []
    tick_task = asyncio.create_task(ticker(ticks))
    await asyncio.sleep(0)  # let the ticker start
    start = time.perf_counter()
    if offload:
        await asyncio.to_thread(blocking_read)  # 3.9+: runs in the default thread pool
    else:
        blocking_read()  # runs on the loop's own thread
    end = time.perf_counter()
    await tick_task
    gap = max(b - a for a, b in zip(ticks, ticks[1:]))
    during = sum(start < t < end for t in ticks)
    return f"longest gap between ticks {gap:.2f} s, ticks during the call: {during}"


async def main() -> None:
    print(f"blocking on the loop: {await run(False)}")
    print(f"asyncio.to_thread:    {await run(True)}")


if __name__ == "__main__":
    asyncio.run(main())
