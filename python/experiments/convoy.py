"""Convoy effect: an I/O thread next to CPU-bound threads waits for the GIL after every I/O call.

Every socket call releases the GIL. If a CPU-bound thread grabs it meanwhile, the I/O thread, once
its reply has arrived, must wait until the CPU thread is asked to drop the GIL: a whole switch
interval (5 ms by default). Setup, as in lesson 5's convoy.py: the measured process runs the I/O
thread (a client sending one small message at a time and timing each round trip) plus 0, 1 or 2
spinning threads; the server is another process (its own GIL) that answers each message after
0.2 ms, like a server on the local network. An instant echo would hide the effect: the I/O thread
would get its reply before the CPU thread had even woken up to take the GIL.
"""

from __future__ import annotations

import multiprocessing
import socket
import statistics
import sys
import threading
import time

from common.timing import MS_DIGITS, RATIO_DIGITS

SWITCH_INTERVALS_S = (0.005, 0.001, 0.0001)
CPU_THREAD_COUNTS = (0, 1, 2)
MESSAGE = b"x" * 64
#: How long the remote server takes to answer each message.
SERVER_DELAY_S = 0.0002


def _recv_exact(sock: socket.socket, size: int) -> None:
    remaining = size
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise ConnectionError("peer went away")
        remaining -= len(chunk)


def _server(sock: socket.socket, inherited_client_end: socket.socket) -> None:
    """The far end, in another process: answer each message after SERVER_DELAY_S."""
    # The fork copied the client's end too; close it, or the server would never see end-of-file.
    inherited_client_end.close()
    with sock:
        while data := sock.recv(4096):
            time.sleep(SERVER_DELAY_S)
            sock.sendall(data)


def _io_thread(sock: socket.socket, duration_s: float, out: dict) -> None:
    """The measured I/O thread: send and recv release the GIL while they wait for the server."""
    latencies = []
    start = now = time.perf_counter()
    deadline = start + duration_s
    while now < deadline:
        t0 = time.perf_counter()
        sock.sendall(MESSAGE)
        _recv_exact(sock, len(MESSAGE))
        now = time.perf_counter()
        latencies.append(now - t0)
    latencies.sort()
    out["roundTripsPerSecond"] = len(latencies) / (now - start)
    out["medianLatencyMs"] = statistics.median(latencies) * 1000
    out["p90LatencyMs"] = latencies[int(0.9 * (len(latencies) - 1))] * 1000


def _spin(stop: threading.Event, counts: list[int], slot: int) -> None:
    """CPU-bound thread: pure bytecode, holds the GIL until asked to drop it."""
    loops = 0
    is_set = stop.is_set
    while not is_set():
        loops += 1
    counts[slot] = loops


def _measure(interval_s: float, cpu_threads: int, duration_s: float) -> dict:
    """One bounded measurement (about duration_s) with cpu_threads spinning beside the I/O thread."""
    ctx = multiprocessing.get_context("fork")
    client_end, server_end = socket.socketpair()  # AF_UNIX pair: nothing is bound to any address
    # Fork the server before any extra thread exists in this process (forking a threaded process
    # is fragile); fork hands it the socket directly.
    server = ctx.Process(target=_server, args=(server_end, client_end), daemon=True)
    server.start()
    server_end.close()

    default_interval = sys.getswitchinterval()
    sys.setswitchinterval(interval_s)
    stop = threading.Event()
    counts = [0] * cpu_threads
    spinners = [
        threading.Thread(target=_spin, args=(stop, counts, i), daemon=True)
        for i in range(cpu_threads)
    ]
    result: dict = {}
    io = threading.Thread(target=_io_thread, args=(client_end, duration_s, result), daemon=True)
    try:
        spin_start = time.perf_counter()
        for spinner in spinners:
            spinner.start()
        io.start()
        # Bounded: the I/O thread stops after duration_s; the timeout only guards against a hang.
        io.join(timeout=duration_s + 30)
        if io.is_alive() or not result:
            raise TimeoutError("convoy I/O thread did not finish")
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=10)
        spin_elapsed = time.perf_counter() - spin_start
        sys.setswitchinterval(default_interval)
        client_end.close()  # the server sees end-of-file and exits
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
    result["cpuLoopsPerSecond"] = sum(counts) / spin_elapsed
    return result


def run(quick: bool, log) -> dict:
    """Grid of switch intervals × CPU thread counts; medians over interleaved repeats."""
    duration_s = 0.15 if quick else 1.0
    runs = 1 if quick else 5
    configs = [(i, c) for i in SWITCH_INTERVALS_S for c in CPU_THREAD_COUNTS]
    samples: dict[tuple[float, int], list[dict]] = {config: [] for config in configs}
    # Repeats are interleaved (whole grid, then again) so a burst of load from other work on the
    # machine spreads over all configurations instead of spoiling one.
    for _ in range(runs):
        for interval_s, cpu_threads in configs:
            samples[(interval_s, cpu_threads)].append(_measure(interval_s, cpu_threads, duration_s))

    measurements = []
    alone: dict[float, float] = {}
    for interval_s, cpu_threads in configs:
        runs_data = samples[(interval_s, cpu_threads)]

        def series(key: str, digits: int) -> list[float]:
            return [round(s[key], digits) for s in runs_data]

        per_second_runs = series("roundTripsPerSecond", 1)
        latency_runs = series("medianLatencyMs", MS_DIGITS)
        p90_runs = series("p90LatencyMs", MS_DIGITS)
        per_second = round(statistics.median(per_second_runs), 1)
        if cpu_threads == 0:
            alone[interval_s] = per_second
        measurement = {
            "switchIntervalMs": round(interval_s * 1000, 4),
            "cpuThreads": cpu_threads,
            "runsRoundTripsPerSecond": per_second_runs,
            "roundTripsPerSecond": per_second,
            "runsMedianLatencyMs": latency_runs,
            "medianLatencyMs": round(statistics.median(latency_runs), MS_DIGITS),
            "runsP90LatencyMs": p90_runs,
            "p90LatencyMs": round(statistics.median(p90_runs), MS_DIGITS),
            "cpuLoopsPerSecond": round(statistics.median(series("cpuLoopsPerSecond", 0))),
            "ratioVsAlone": round(per_second / alone[interval_s], RATIO_DIGITS),
        }
        measurements.append(measurement)
        log(
            f"convoy: interval {measurement['switchIntervalMs']} ms, {cpu_threads} CPU threads: "
            f"{per_second:,.0f} round trips/s, median {measurement['medianLatencyMs']} ms, "
            f"p90 {measurement['p90LatencyMs']} ms"
        )
    return {
        "setup": "I/O client thread + CPU threads in the measured process; a server in another "
        "process answers after 0.2 ms, over a socketpair (AF_UNIX); one 64-byte message in flight",
        "serverDelayMs": SERVER_DELAY_S * 1000,
        "messageBytes": len(MESSAGE),
        "durationPerMeasurementS": duration_s,
        "runsPerConfig": runs,
        "measurements": measurements,
    }
