"""asyncio can race too: a task that reads, awaits, then writes can lose another task's update.
Only one task runs at a time, but every `await` is a point where another task may run."""

import asyncio

balance = 100


async def withdraw(amount: int) -> bool:
    global balance
    if balance >= amount:  # check ...
        await asyncio.sleep(0.01)  # ... a network call, say: other tasks run here ...
        balance -= amount  # ... act on a stale check
        return True
    return False


async def withdraw_locked(lock: asyncio.Lock, amount: int) -> bool:
    async with lock:  # check and act as one step for every other task
        return await withdraw(amount)


async def main() -> None:
    global balance
    balance = 100
    results = await asyncio.gather(withdraw(80), withdraw(80))
    print(f"without a lock: approved {results}, balance {balance}")

    balance = 100
    lock = asyncio.Lock()
    results = await asyncio.gather(withdraw_locked(lock, 80), withdraw_locked(lock, 80))
    print(f"with asyncio.Lock: approved {results}, balance {balance}")

    # TaskGroup (3.11+): if one task fails, the others are cancelled and the error is raised here.
    async def fails() -> None:
        await asyncio.sleep(0.01)
        raise ValueError("payment service down")

    try:
        async with asyncio.TaskGroup() as group:
            slow = group.create_task(asyncio.sleep(10))
            group.create_task(fails())
    except* ValueError as errors:
        print(f"TaskGroup: {errors.exceptions[0]!r}; the slow task was cancelled: {slow.cancelled()}")


if __name__ == "__main__":
    asyncio.run(main())
