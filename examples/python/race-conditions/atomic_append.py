"""list.append is a single operation on the list: no append is lost, GIL or not."""

import threading

items = []


def add_many() -> None:
    for i in range(100_000):
        items.append(i)


threads = [threading.Thread(target=add_many) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"appended: {len(items):,}")
