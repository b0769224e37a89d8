"""Data copy to a worker process: everything crossing a process boundary is pickled and copied.

A long-running worker receives a payload over a multiprocessing Pipe and answers with a tiny
acknowledgement, so each sample is: pickle, write, read, unpickle (plus a negligible ack).
Threads share memory and pay none of this; that is the price processes pay for their own GIL.
"""

from __future__ import annotations

import multiprocessing
import pickle

from common.timing import MS_DIGITS, RATIO_DIGITS, repeat_ms, timing_ms

START_METHOD = "fork"  # Linux default on 3.11; the copy cost does not depend on it


def _worker(conn) -> None:
    """Receives payloads until it gets None; acknowledges each with its length."""
    while True:
        payload = conn.recv()
        if payload is None:
            return
        conn.send(len(payload))


def _measure(conn, payload, runs: int) -> dict:
    def round_trip() -> None:
        conn.send(payload)
        conn.recv()

    round_trip()  # warm-up: let both processes touch their buffers once
    timing = timing_ms(repeat_ms(round_trip, runs))
    pickled_mb = len(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)) / (1 << 20)
    timing["payloadMB"] = round(pickled_mb, 4)
    timing["msPerMB"] = round(timing["medianMs"] / timing["payloadMB"], MS_DIGITS)
    return timing


def run(quick: bool, log) -> dict:
    """ms per MB of pickled payload, for raw bytes and for a list of ints (an object graph)."""
    runs = 3 if quick else 9
    bytes_mb, list_items = (2, 200_000) if quick else (32, 2_000_000)
    ctx = multiprocessing.get_context(START_METHOD)
    parent, child = ctx.Pipe()
    worker = ctx.Process(target=_worker, args=(child,), daemon=True)
    worker.start()
    child.close()
    try:
        raw = _measure(parent, bytes(bytes_mb << 20), runs)
        ints = list(range(1_000_000, 1_000_000 + list_items))  # > 2**16: 5 pickled bytes each
        graph = _measure(parent, ints, runs)
        parent.send(None)
    finally:
        worker.join(timeout=10)
        if worker.is_alive():
            worker.terminate()
        parent.close()
    graph["items"] = list_items
    graph["nsPerItem"] = round(graph["medianMs"] * 1e6 / list_items, 1)
    graph["ratioVsBytes"] = round(graph["msPerMB"] / raw["msPerMB"], RATIO_DIGITS)
    log(
        f"copy: bytes {raw['msPerMB']} ms/MB, list of ints {graph['msPerMB']} ms/MB "
        f"({graph['ratioVsBytes']}x), {graph['nsPerItem']} ns/item"
    )
    return {"startMethod": START_METHOD, "runsPerVariant": runs, "bytes": raw, "listOfInts": graph}
