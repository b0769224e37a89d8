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


async def run(offload: bool) -> float:
    ticks: list = []
    tick_task = asyncio.create_task(ticker(ticks))
    await asyncio.sleep(0)  # let the ticker start
    if offload:
        await asyncio.to_thread(blocking_read)  # 3.9+: runs in the default thread pool
    else:
        blocking_read()  # runs on the loop's own thread
    await tick_task
    return max(b - a for a, b in zip(ticks, ticks[1:]))


async def main() -> None:
    print(f"blocking on the loop: longest gap between ticks {await run(False):.2f} s")
    print(f"asyncio.to_thread:    longest gap between ticks {await run(True):.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
