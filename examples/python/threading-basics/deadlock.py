"""Two threads, two locks, opposite order: a deadlock. Timeouts make it visible instead of hanging."""

import threading
import time

a, b = threading.Lock(), threading.Lock()
report = []


def take(first: threading.Lock, second: threading.Lock, name: str) -> None:
    with first:
        time.sleep(0.05)  # let the other thread take its first lock too
        if second.acquire(timeout=0.5):  # a plain `with second:` would wait forever
            second.release()
            report.append(f"{name}: got both")
        else:
            report.append(f"{name}: gave up, the other thread holds the lock it needs")


def run(order_a, order_b) -> None:
    report.clear()
    threads = [threading.Thread(target=take, args=(*order_a, "t1")),
               threading.Thread(target=take, args=(*order_b, "t2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(sorted(report))


print("opposite order:")
run((a, b), (b, a))
print("same order everywhere:")
run((a, b), (a, b))
