"""A thousand waits on one thread: the event loop switches at every `await`."""

import asyncio
import threading
import time

waiting = 0  # coroutines waiting right now; only the loop's one thread touches it
most_waiting = 0


async def fake_request(i: int) -> int:
    global waiting, most_waiting
    waiting += 1
    most_waiting = max(most_waiting, waiting)
    await asyncio.sleep(0.2)  # stands in for awaiting a network reply; the loop runs others meanwhile
    waiting -= 1
    return i


async def main() -> None:
    start = time.perf_counter()
    results = await asyncio.gather(*(fake_request(i) for i in range(1_000)))
    elapsed = time.perf_counter() - start
    print(f"{len(results)} waits of 0.2 s took {elapsed:.2f} s")
    print(f"waiting at the same time, at most: {most_waiting}")
    print(f"threads in this process: {threading.active_count()}")


if __name__ == "__main__":
    asyncio.run(main())
