"""Threads that cooperate: a Queue hands work over, an Event says stop, a Condition waits for a state."""

import queue
import threading

tasks: "queue.Queue[int | None]" = queue.Queue(maxsize=10)  # put() blocks when full: back-pressure
results = []
results_lock = threading.Lock()
done = threading.Event()


def consumer() -> None:
    while (item := tasks.get()) is not None:  # None is the "no more work" sentinel
        with results_lock:
            results.append(item * item)
        tasks.task_done()
    tasks.task_done()


workers = [threading.Thread(target=consumer) for _ in range(3)]
for worker in workers:
    worker.start()
for n in range(100):
    tasks.put(n)
for _ in workers:
    tasks.put(None)  # one sentinel per consumer
tasks.join()  # returns when every put() item has been marked task_done()
done.set()
for worker in workers:
    worker.join()
print(f"squares computed: {len(results)}, sum {sum(results)}")

# A Condition: wait until a shared state holds, woken by whoever changes it.
ready = threading.Condition()
stock = 0


def restock() -> None:
    global stock
    for _ in range(5):
        with ready:
            stock += 1
            ready.notify_all()


with ready:
    supplier = threading.Thread(target=restock)
    supplier.start()
    ready.wait_for(lambda: stock >= 5, timeout=5)  # releases the lock while it waits
    print(f"stock reached {stock}; event set: {done.is_set()}")
supplier.join()
