"""Python threads are operating-system threads: each has its own native id, and the OS schedules it."""

import threading

seen = {}
counted = threading.Event()


def work(name: str) -> None:
    seen[name] = threading.get_native_id()  # the id the kernel knows this thread by (3.8+)
    counted.wait()  # stay alive until the main thread has counted: all three at the same time


threads = [threading.Thread(target=work, args=(f"worker-{i}",), name=f"worker-{i}") for i in range(3)]
for thread in threads:
    thread.start()
print(f"threads alive now: {threading.active_count()} (the main thread and 3 workers)")
counted.set()
for thread in threads:
    thread.join()

main_id = threading.get_native_id()
print(f"distinct native ids: {len(set(seen.values()) | {main_id})} of 4")
