"""Two threads increment one shared counter: three ways, and what each one loses."""

import threading

N = 1_000_000  # increments per thread
counter = 0
lock = threading.Lock()


def touch() -> None:
    """An empty function. Calling it gives the interpreter a point where it may switch threads."""


def plain() -> None:
    global counter
    for _ in range(N):
        counter += 1


def call_between() -> None:
    global counter
    for _ in range(N):
        value = counter  # read
        touch()  # a switch here leaves `value` stale
        counter = value + 1  # write: erases what the other thread added meanwhile


def with_lock() -> None:
    global counter
    for _ in range(N):
        with lock:  # read, call and write happen as one step for every other thread
            value = counter
            touch()
            counter = value + 1


for worker in (plain, call_between, with_lock):
    counter = 0
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lost = 2 * N - counter
    print(f"{worker.__name__:<13} counter = {counter:>9,}  lost updates: {lost:,}")
