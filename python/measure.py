"""Measure the GIL experiments in the local CPython and write the course's reference JSON.

Usage: python3 python/measure.py [--quick] [--out PATH] [--note TEXT]...
Standard library only. The full run takes a few minutes; --quick is a smoke run (seconds) with
tiny sizes whose figures are not meaningful, for tests of the pipeline and the schema.
"""

from __future__ import annotations

# Keep module-level imports light: spawn and forkserver children re-import this file as
# __mp_main__, and the start-up experiment should not time our own imports.
import argparse
import faulthandler
import json
import os
import sys
import time
from pathlib import Path

SCHEMA_VERSION = 1
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "data" / "cpython-reference.json"
# Hard upper bounds: if anything hangs (a lost child, a stuck socket) the script still ends.
WATCHDOG_S = {"full": 600, "quick": 120}


def _log(message: str) -> None:
    print(f"[measure] {message}", file=sys.stderr, flush=True)


def _write_json(path: Path, data: dict) -> None:
    """Write atomically so a reader (the dev server, a test) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run, tiny sizes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument(
        "--note", action="append", default=[], help="extra caveat to record in notes (repeatable)"
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    faulthandler.dump_traceback_later(WATCHDOG_S[mode], exit=True)

    # Imported here, not at the top, for the reason given above.
    from common import environment
    from experiments import (
        convoy,
        countdown,
        data_copy,
        io_threads,
        native,
        race,
        startup,
        tiny_tasks,
    )

    started = time.perf_counter()
    load_start = environment.load_average_1m()
    measured_at = environment.now_iso()
    _log(f"{mode} run, CPython {sys.version.split()[0]}, load average {load_start}")

    # Order matters little (variants inside each experiment are interleaved), but the cheap,
    # robust experiments go last so a slow machine shows problems early.
    experiments = {}
    for key, module in (
        ("countdown", countdown),
        ("ioThreads", io_threads),
        ("convoy", convoy),
        ("race", race),
        ("native", native),
        ("startup", startup),
        ("copy", data_copy),
        ("tinyTasks", tiny_tasks),
    ):
        t0 = time.perf_counter()
        experiments[key] = module.run(args.quick, _log)
        _log(f"{key} done in {time.perf_counter() - t0:.1f} s")

    load_end = environment.load_average_1m()
    duration_s = round(time.perf_counter() - started, 1)
    machine = environment.machine_info()
    machine["loadAverage1mStart"] = load_start
    machine["loadAverage1mEnd"] = load_end
    notes = [
        "Measured on a shared machine while other engineers may have been running tests: every "
        "figure is a median over several runs (raw runs included), with variants interleaved "
        "round-robin so load bursts spread over all of them.",
        f"1-minute load average {load_start} at start, {load_end} at end "
        f"({machine['cores']} cores).",
        "countdown process variants include creating and shutting down the process pool.",
        "native.sha256 hashes 1 MiB buffers many times: with 64 MiB buffers hashing is "
        "memory-bound on this VM and threads gain little, a different bottleneck than the GIL.",
    ]
    notes.extend(args.note)
    if args.quick:
        notes.insert(0, "QUICK smoke run: tiny sizes and few runs; the figures are not meaningful.")
    result = {
        "schemaVersion": SCHEMA_VERSION,
        "mode": mode,
        "python": environment.python_info(),
        "machine": machine,
        "measuredAt": measured_at,
        "durationS": duration_s,
        "notes": notes,
        "experiments": experiments,
    }
    _write_json(args.out, result)
    _log(f"wrote {args.out} in {duration_s} s")
    faulthandler.cancel_dump_traceback_later()
    return 0


if __name__ == "__main__":
    sys.exit(main())
