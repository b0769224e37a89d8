"""Convoy effect: an I/O thread next to CPU-bound threads waits for the GIL after every I/O call.

Every socket call releases the GIL. If a CPU-bound thread grabs it meanwhile, the I/O thread, once
its data has arrived, must wait until the CPU thread is asked to drop the GIL: a whole switch
interval (5 ms by default). Setup, as in the classic replications: the measured process runs an
echo-server thread (the I/O thread) plus 0, 1 or 2 spinning threads; a separate client process
sends small messages one at a time and times each round trip, i.e. how responsive the server is.
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


def _recv_exact(sock: socket.socket, size: int) -> None:
    remaining = size
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise ConnectionError("peer went away")
        remaining -= len(chunk)


def _client(sock: socket.socket, duration_s: float, results) -> None:
    """Client process: its own GIL, so it measures the server without disturbing it."""
    latencies = []
    start = now = time.perf_counter()
    deadline = start + duration_s
    with sock:
        while now < deadline:
            t0 = time.perf_counter()
            sock.sendall(MESSAGE)
            _recv_exact(sock, len(MESSAGE))
            now = time.perf_counter()
            latencies.append(now - t0)
    latencies.sort()
    results.send(
        {
            "roundTripsPerSecond": len(latencies) / (now - start),
            "medianLatencyMs": statistics.median(latencies) * 1000,
            "p90LatencyMs": latencies[int(0.9 * (len(latencies) - 1))] * 1000,
        }
    )
    results.close()


def _echo_server(sock: socket.socket) -> None:
    """The measured I/O thread: recv and send each release the GIL while they block."""
    while True:
        data = sock.recv(4096)
        if not data:  # client finished (or died): the thread ends by itself
            return
        sock.sendall(data)


def _spin(stop: threading.Event, counts: list[int], slot: int) -> None:
    """CPU-bound thread: pure bytecode, holds the GIL until asked to drop it."""
    loops = 0
    is_set = stop.is_set
    while not is_set():
        loops += 1
    counts[slot] = loops


def _measure(interval_s: float, cpu_threads: int, duration_s: float) -> dict:
    """One bounded measurement (about duration_s) with cpu_threads spinning beside the server."""
    ctx = multiprocessing.get_context("fork")
    server_end, client_end = socket.socketpair()  # AF_UNIX pair: nothing is bound to any address
    results_recv, results_send = ctx.Pipe(duplex=False)
    # Fork the client before any extra thread exists in this process (forking a threaded process
    # is fragile); fork hands it the socket directly.
    client = ctx.Process(target=_client, args=(client_end, duration_s, results_send), daemon=True)
    client.start()
    client_end.close()
    results_send.close()

    default_interval = sys.getswitchinterval()
    sys.setswitchinterval(interval_s)
    stop = threading.Event()
    counts = [0] * cpu_threads
    spinners = [
        threading.Thread(target=_spin, args=(stop, counts, i), daemon=True)
        for i in range(cpu_threads)
    ]
    server = threading.Thread(target=_echo_server, args=(server_end,), daemon=True)
    try:
        spin_start = time.perf_counter()
        for spinner in spinners:
            spinner.start()
        server.start()
        # Bounded: the client stops after duration_s; the timeouts only guard against a hang.
        if not results_recv.poll(duration_s + 30):
            raise TimeoutError("convoy client did not report")
        result = results_recv.recv()
        server.join(timeout=10)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=10)
        spin_elapsed = time.perf_counter() - spin_start
        sys.setswitchinterval(default_interval)
        server_end.close()
        results_recv.close()
        client.join(timeout=10)
        if client.is_alive():
            client.terminate()
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
        "setup": "echo-server thread + CPU threads in the measured process; client in another "
        "process over a socketpair (AF_UNIX); one 64-byte message in flight at a time",
        "messageBytes": len(MESSAGE),
        "durationPerMeasurementS": duration_s,
        "runsPerConfig": runs,
        "measurements": measurements,
    }
