"""threading.local, signals and daemon threads: three rules that surprise people."""

import signal
import threading
import time

# 1. threading.local: one attribute, a separate value in every thread.
state = threading.local()


def remember(value: int, out: list) -> None:
    state.value = value  # visible only in this thread
    time.sleep(0.05)
    out.append(state.value)


out: list = []
threads = [threading.Thread(target=remember, args=(i, out)) for i in range(3)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"each thread kept its own value: {sorted(out)}; main thread has one: {hasattr(state, 'value')}")

# 2. Signal handlers can only be set, and only run, in the main thread.
errors = []


def set_handler() -> None:
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError as error:
        errors.append(str(error))


helper = threading.Thread(target=set_handler)
helper.start()
helper.join()
print(f"signal.signal in another thread: ValueError: {errors[0]}")

# 3. A daemon thread does not keep the program alive: at exit it is stopped wherever it is.
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
print("main thread done; the daemon thread's 60 s sleep will not delay the exit")
