# GIL Lab's hidden check harness (src/exercises/harness.py). compose.ts appends it, indented under
# `if __name__ == "__main__":`, after the reader's code and the checks' own functions, so it runs
# once in the main interpreter (never in a thread's or process's import of the module) and sees
# the reader's functions as module globals. It reports one JSON line after a per-check random
# token, which the reader's program cannot know in advance: printing expected text never passes.
def __gil_lab_run(token, checks, reader_lines, filename):
    import json
    import sys
    import time
    import traceback

    def frames_of_reader(e):
        """The traceback without the harness's frames (they are not the reader's code)."""
        te = traceback.TracebackException.from_exception(e)
        kept = [f for f in te.stack if not (f.filename == filename and f.lineno > reader_lines)]
        te.stack = traceback.StackSummary.from_list(kept)
        return "".join(te.format())

    def outcome_of(call):
        start = time.perf_counter()
        try:
            call()
            outcome = {"ok": True}
        except AssertionError as e:
            outcome = {"ok": False, "kind": "assertion", "message": str(e) or "an assertion failed"}
        except BaseException as e:
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            outcome = {
                "ok": False,
                "kind": "exception",
                "message": f"{type(e).__name__}: {e}",
                "traceback": frames_of_reader(e),
            }
        outcome["startMs"] = start * 1000
        outcome["endMs"] = time.perf_counter() * 1000
        return outcome

    report = {"checks": []}
    for spec in checks:
        result = {"trials": [], "pairs": None, "error": None}
        for trial in range(spec["trials"]):
            if spec["fn"] is None:
                result["trials"].append(outcome_of(lambda: None))
                continue
            result["trials"].append(outcome_of(lambda: spec["fn"](trial)))
        report["checks"].append(result)
        failed = any(not t["ok"] for t in result["trials"])
        if spec["speedup"] is not None and not failed:
            baseline, candidate, n = spec["speedup"]
            pairs = []
            for _ in range(n):
                times = []
                for call in (baseline, candidate):
                    outcome = outcome_of(call)
                    if not outcome["ok"]:
                        result["error"] = outcome
                        break
                    times.append(outcome["endMs"] - outcome["startMs"])
                if result["error"] is not None:
                    break
                pairs.append({"baselineMs": times[0], "runMs": times[1]})
            result["pairs"] = pairs
        if failed or result["error"] is not None:
            break  # later checks build on earlier ones: the first failure is what to fix
    if sys.platform == "emscripten":
        # Run Python: where perf_counter's zero lies on the page's clock (ms since 1970, as the
        # timeline's epoch), so trials' windows land on the timeline whichever engine ran them
        # (one of them counts perf_counter from the page's start, the other from its worker's).
        import js

        before = time.perf_counter()
        now = js.performance.timeOrigin + js.performance.now()
        perf = (before + time.perf_counter()) / 2
        report["clock"] = {"perfMs": perf * 1000, "epochMs": now}
    sys.stdout.flush()
    sys.stdout.write("\n" + token + json.dumps(report) + "\n")
    sys.stdout.flush()
    if sys.platform != "emscripten":
        # Real CPython: a deadlocked non-daemon thread would keep the process alive forever.
        import os

        sys.stderr.flush()
        os._exit(0)
