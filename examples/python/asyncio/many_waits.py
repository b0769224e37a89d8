"""A thousand waits on one thread: the event loop switches at every `await`."""

import asyncio
import threading
import time


async def fake_request(i: int) -> int:
    await asyncio.sleep(0.2)  # stands in for awaiting a network reply; the loop runs others meanwhile
    return i


async def main() -> None:
    start = time.perf_counter()
    results = await asyncio.gather(*(fake_request(i) for i in range(1_000)))
    elapsed = time.perf_counter() - start
    print(f"{len(results)} waits of 0.2 s took {elapsed:.2f} s")
    print(f"threads in this process: {threading.active_count()}")


if __name__ == "__main__":
    asyncio.run(main())
