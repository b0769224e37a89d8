"""The convoy effect: an I/O thread beside a CPU-bound thread, at three switch intervals, and with\nthe CPU work moved to another process."""

import multiprocessing
import socket
import sys
import threading
import time


def echo(sock: socket.socket) -> None:
    """The far end, in another process (its own GIL): answer each message after 0.2 ms,
    like a server on the local network."""
    while data := sock.recv(64):
        time.sleep(0.0002)
        sock.sendall(data)


def round_trips_per_second(sock: socket.socket, seconds: float = 0.3) -> float:
    """The I/O thread: one tiny message at a time. send and recv release the GIL while they wait."""
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        sock.sendall(b"x")
        sock.recv(64)
        count += 1
    return count / (time.perf_counter() - start)


def spin(stop) -> None:
    """The CPU work: pure bytecode, never waits, so it keeps its GIL until asked to drop it."""
    while not stop.is_set():
        pass


if __name__ == "__main__":
    here, there = socket.socketpair()
    far_end = multiprocessing.Process(target=echo, args=(there,), daemon=True)
    far_end.start()
    there.close()  # the child has its own copy

    print(f"alone:                    {round_trips_per_second(here):>9,.0f} round trips/s")
    for interval in (0.005, 0.001, 0.0001):
        sys.setswitchinterval(interval)
        stop = threading.Event()
        cpu = threading.Thread(target=spin, args=(stop,))
        cpu.start()
        rate = round_trips_per_second(here)
        stop.set()
        cpu.join()
        print(f"beside a CPU thread, {interval * 1000:g} ms: {rate:>9,.0f} round trips/s")

    # The same CPU work in another process: it has its own GIL, so the I/O thread never waits.
    sys.setswitchinterval(0.005)
    stop = multiprocessing.Event()
    cpu = multiprocessing.Process(target=spin, args=(stop,))
    cpu.start()
    rate = round_trips_per_second(here)
    stop.set()
    cpu.join()
    print(f"CPU work in another process:  {rate:>9,.0f} round trips/s")

    here.shutdown(socket.SHUT_WR)  # the echo process sees end-of-file and exits
    far_end.join(timeout=5)
    here.close()
