# GIL Lab's hidden check harness (src/exercises/harness.py). compose.ts compiles it as
# "<gil-lab-check>" in the program's `if __name__ == "__main__":` block, into a namespace bound to
# no name of the module, whose builtins are a copy taken before the reader's code runs; its last
# line calls main(). So it runs once, in the main interpreter (never in a thread's or process's
# import of the module).
#
# Why the reader's code runs inside main() (by exec, under its own file name and line numbers) and
# not before it: the check must report through things the reader's code cannot change. main()
# takes them first: the real stdout's write, perf_counter, a copy of the builtins, the random token
# that marks the report (announced as the program's very first output line, so no program can
# print before it and none knows it in advance: it is in no source), and the checks' functions,
# whose globals put those builtins before the module's names. So patching json, print, sys.stdout,
# builtins or time, shadowing a builtin with a global, or replacing names of the module cannot
# forge a pass; the report is encoded here, without json. Not defended: code that digs the
# harness's objects out of the interpreter (frames, gc); a program can always do that in its own
# process, and only a reader who set out to fool themselves would.
import builtins as _builtins
import linecache as _linecache
import os as _os
import sys as _sys
import time as _time
import traceback as _traceback

_OPEN = "\x00GILLAB-CHECK-OPEN:"
_REPORT = "\x00GILLAB-CHECK-REPORT:"
_CHECK_FILE = "<gil-lab-check>"
# Run Python's own modules (src/runtime/python: the one interpreter's green threads, the shim of
# one interpreter per thread), whose frames the engines leave out of a reader's traceback too:
# Stop's KeyboardInterrupt is raised in them.
_RUNTIME_FILES = ("/home/pyodide/green_thread.py", "/home/pyodide/gil_lab_shim.py")
# Longest message and traceback kept in the report (a huge repr must not outgrow the report line).
_MESSAGE_MAX = 2_000
_TRACEBACK_MAX = 20_000


def _quote(s):
    """A JSON string: ASCII only, every other character escaped (no json module: see above)."""
    parts = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            parts.append('\\"')
        elif ch == "\\":
            parts.append("\\\\")
        elif 0x20 <= o < 0x7F:
            parts.append(ch)
        elif o < 0x10000:
            parts.append("\\u%04x" % o)
        else:
            o -= 0x10000
            parts.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
    parts.append('"')
    return "".join(parts)


def _encode(v):
    """JSON for the report's own values (None, bool, int, float, str, list, dict)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    t = type(v)
    if t is int:
        return int.__repr__(v)
    if t is float:
        return float.__repr__(v) if v - v == 0 else "null"
    if t is str:
        return _quote(v)
    if t is list or t is tuple:
        return "[" + ",".join([_encode(x) for x in v]) + "]"
    if t is dict:
        return "{" + ",".join([_quote(k) + ":" + _encode(x) for k, x in v.items()]) + "}"
    raise TypeError(f"cannot report a {t.__name__}")


def _text(value, limit):
    """An exact str of at most `limit` characters (a str subclass from the reader's code is copied)."""
    try:
        s = "".join([value if type(value) is str else str(value)])
    except BaseException:
        s = "(a text that could not be shown)"
    return s if len(s) <= limit else s[: limit - 1] + "…"


# The exact builtin types same() compares; anything else (a subclass included) is never "the same".
_SCALARS = (type(None), bool, int, float, complex, str, bytes)
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _typed(v):
    """`v` as nested tuples of (type name, value) built only of exact builtin types, so that
    comparing two of them calls no method of the reader's (raises TypeError for anything else)."""
    t = type(v)
    if t is float and v != v:
        return ("float", "nan")
    if t in _SCALARS:
        return (t.__name__, v)
    if t is list or t is tuple:
        return (t.__name__, tuple([_typed(x) for x in v]))
    if t is dict:
        return ("dict", frozenset([(_typed(k), _typed(x)) for k, x in dict.items(v)]))
    if t is set or t is frozenset:
        return (t.__name__, frozenset([_typed(x) for x in v]))
    raise TypeError(t)


def _same(got, want):
    """Strict comparison for checks: True only if `got` and `want` have exactly the same types
    (recursively through lists, tuples, dicts, sets) and values. `got == want` would ask the
    reader's object, and one whose __eq__ always says True passes any `==`; same() never calls
    a method of the reader's (an int subclass, or 1 where 1.0 was wanted, is not the same)."""
    try:
        return _typed(got) == _typed(want)
    except (TypeError, RecursionError):
        return False


class _CheckGlobals(dict):
    """A check's globals: the builtins as they were before the reader's code, then the module's
    names. No global of the reader's can stand in for a builtin the check uses (a module-level
    `def len(x): return 3`), and whatever the check stores (`globals()["touch"] = ...`) goes to
    the module, where the reader's functions see it."""

    def __init__(self, module, kept):
        super().__init__(__builtins__=kept)
        self._module = module
        self._kept = {k: v for k, v in kept.items() if not k.startswith("__")}
        # The checks' own helper, not a builtin: no name of the reader's module shadows it.
        self._kept["same"] = _same

    def __getitem__(self, key):
        kept = self._kept
        if key in kept:
            return kept[key]
        return self._module[key]

    def __contains__(self, key):
        return key in self._kept or key in self._module

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key, value):
        self._module[key] = value

    def __delitem__(self, key):
        del self._module[key]

    def pop(self, key, *default):
        return self._module.pop(key, *default)

    def update(self, *args, **kwargs):
        self._module.update(*args, **kwargs)

    def setdefault(self, key, default=None):
        return self._module.setdefault(key, default)


# The process pool class of concurrent.futures, named without its name: Run Python runs a program
# whose source names it on the engine that can start processes (src/runtime/python-needs.ts), and
# this harness is part of every check's source.
_POOL = "Process" + "PoolExecutor"


class _PoolKeeper:
    """While the checks run, a process pool the reader's code makes (concurrent.futures') borrows
    the processes of one made earlier in the checks with the same arguments, kept until the
    checks are done. Run Python starts at most 8 interpreters in a run (a process is one): a
    check that calls the reader's `with` pool once per trial and once per timed pair would run
    out of them, and CPython's start-up of processes is no part of what a check judges. The
    reader's code still makes, uses and shuts down "its" executor as written; its tasks run in
    real processes of their own; only the processes outlive it, until the checks end."""

    def __init__(self, modules, module):
        self._modules = modules
        self._module = module
        self._pools = {}
        self._patched = []
        self.real = None

    def install(self, needed):
        """`needed`: a check's own version makes a pool (import concurrent.futures for it)."""
        try:
            cf = self._modules.get("concurrent.futures")
            if cf is None:
                if not needed:
                    return  # neither the reader's code nor a check makes an executor
                cf = __import__("concurrent.futures").futures
            real = getattr(cf, _POOL)  # CPython imports concurrent.futures.process here
        except Exception:
            return
        if not isinstance(real, type):
            return
        self._process_module = self._modules.get("concurrent.futures.process")
        self.real = real
        kept = self._kept_class(real)
        self._patched = [(cf, _POOL)]
        if self._process_module is not None and getattr(self._process_module, _POOL, None) is real:
            self._patched.append((self._process_module, _POOL))
        for target, name in self._patched:
            setattr(target, name, kept)
        self._names = [k for k, v in list(self._module.items()) if v is real]
        for k in self._names:
            self._module[k] = kept
        self.kept = kept

    def uninstall(self):
        """Puts the reader's class back and shuts the kept processes down."""
        if self.real is None:
            return
        for target, name in self._patched:
            if getattr(target, name, None) is self.kept:
                setattr(target, name, self.real)
        for k in self._names:
            if self._module.get(k) is self.kept:
                self._module[k] = self.real
        for pool in self._pools.values():
            try:
                pool.shutdown(wait=True)
            except Exception:
                pass
        self._pools.clear()

    def _kept_class(self, real):
        pools = self._pools

        class Kept(real):
            # Not real.__init__: this executor starts no process; it borrows a kept pool's.
            def __init__(self, max_workers=None, *args, **kwargs):
                key = (max_workers, args, tuple(sorted(kwargs.items())))
                try:
                    hash(key)
                except TypeError:
                    key = None
                pool = pools.get(key) if key is not None else None
                if pool is None:
                    pool = real(max_workers, *args, **kwargs)
                    if key is not None:
                        pools[key] = pool
                self._gil_lab_pool = pool
                self._gil_lab_own = key is None
                self._gil_lab_futures = []
                self._gil_lab_shut = False

            def submit(self, fn, /, *args, **kwargs):
                if self._gil_lab_shut:
                    raise RuntimeError("cannot schedule new futures after shutdown")
                future = self._gil_lab_pool.submit(fn, *args, **kwargs)
                self._gil_lab_futures.append(future)
                return future

            # map() is the real class's own, unchanged: it batches `chunksize` items per task as
            # the reader's pool would (CPython's own map, or Run Python's in
            # src/runtime/python/shim/07_executors.py) and hands each batch to submit() (CPython)
            # or _schedule() (Run Python's shim), which go to the kept processes here. (No name
            # of the pool class in this file: see _POOL.)

            def _schedule(self, fn, args, kwargs, *rest, **options):
                # What Run Python's map submits its batches through (not used on CPython).
                if self._gil_lab_shut:
                    raise RuntimeError("cannot schedule new futures after shutdown")
                future = self._gil_lab_pool._schedule(fn, args, kwargs, *rest, **options)
                self._gil_lab_futures.append(future)
                return future

            def shutdown(self, wait=True, *, cancel_futures=False):
                self._gil_lab_shut = True
                if cancel_futures:
                    for f in self._gil_lab_futures:
                        f.cancel()
                if self._gil_lab_own:
                    self._gil_lab_pool.shutdown(wait=wait, cancel_futures=cancel_futures)
                elif wait:
                    for f in self._gil_lab_futures:
                        try:
                            f.exception()
                        except BaseException as e:
                            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                                raise

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.shutdown(wait=True)
                return False

        Kept.__name__ = real.__name__
        Kept.__module__ = real.__module__
        Kept.__qualname__ = real.__qualname__
        return Kept


def _indent(text):
    return "".join(["    " + line if line.strip() else line for line in text.splitlines(True)])


def main(module, reader, filename, specs):
    """Runs the reader's code as `module`, then the checks; reports one line on the real stdout."""
    # 1. Everything the report relies on, taken before the reader's code runs.
    builtins_then = dict(vars(_builtins))
    time_then = dict(vars(_time))
    perf_counter = _time.perf_counter
    write, flush = _sys.stdout.write, _sys.stdout.flush
    err_write, err_flush = _sys.stderr.write, _sys.stderr.flush
    switch_then = _sys.getswitchinterval()
    set_switch = _sys.setswitchinterval
    modules = _sys.modules
    token = _os.urandom(16).hex()
    exit_now = _os._exit
    emscripten = _sys.platform == "emscripten"
    TracebackException = _traceback.TracebackException
    StackSummary = _traceback.StackSummary
    if emscripten:
        import js

        js_now = js.performance.now
        time_origin = float(js.performance.timeOrigin)

    def send(report):
        write("\n" + _REPORT + token + ":" + _encode(report) + "\n")
        flush()

    # The first line of output: from here on, the page knows the token (and nothing could print
    # before this line, so no program can announce a token of its own).
    write(_OPEN + token + "\n")
    flush()

    # 2. The checks' functions, made now in globals of their own (_CheckGlobals: the builtins as
    #    they are now, then the module's names, so they call the reader's functions).
    check_globals = _CheckGlobals(module, builtins_then)
    checks = []
    for spec in specs:
        fn = None
        if spec["body"] is not None:
            scope = {}
            code = compile("def check(trial):\n" + _indent(spec["body"]) + "\n", _CHECK_FILE, "exec")
            exec(code, check_globals, scope)
            fn = scope["check"]
        speedup = None
        if spec["speedup"] is not None:
            baseline, candidate, reference, pairs = spec["speedup"]
            timed = lambda expr: eval(compile(f"lambda: ({expr})", _CHECK_FILE, "eval"), check_globals)
            speedup = (
                timed(baseline),
                timed(candidate),
                None if reference is None else timed(reference),
                pairs,
            )
        checks.append((spec["trials"], fn, speedup))

    def frames_of_reader(e):
        """The traceback without the check's frames and Run Python's own (they are not the
        reader's code, and CPython would not show them)."""
        te = TracebackException.from_exception(e)
        seen = set()
        todo = [te]
        while todo:
            t = todo.pop()
            if t is None or id(t) in seen:
                continue
            seen.add(id(t))
            t.stack = StackSummary.from_list(
                [f for f in t.stack if f.filename != _CHECK_FILE and f.filename not in _RUNTIME_FILES]
            )
            todo += [t.__cause__, t.__context__]
        return _text("".join(te.format()), _TRACEBACK_MAX)

    def clock():
        if not emscripten:
            return None
        # Where perf_counter's zero lies on the page's clock (ms since 1970, as the timeline's
        # epoch), so trials' windows land on the timeline whichever engine ran them.
        before = perf_counter()
        now = time_origin + float(js_now())
        perf = (before + perf_counter()) / 2
        return {"perfMs": perf * 1000, "epochMs": now}

    def finish(report):
        c = clock()
        if c is not None:
            report["clock"] = c
        send(report)
        if not emscripten:
            # Real CPython: a deadlocked non-daemon thread would keep the process alive forever.
            try:
                err_flush()
            finally:
                exit_now(0)

    def interrupted(e):
        """Stop (or Ctrl+C) while the reader's code or a check ran: the traceback CPython would
        print for the reader's program, without the harness's frames (and without the outer
        program's, whose file has the reader's file name), and no report: the run was stopped."""
        err_write(frames_of_reader(e))
        err_flush()

    # 3. The reader's code, as the program's __main__ module, under its own name and lines.
    _linecache.cache[filename] = (len(reader), None, reader.splitlines(True), filename)
    try:
        exec(compile(reader, filename, "exec"), module)
    except KeyboardInterrupt as e:
        interrupted(e)
        return
    except Exception as e:
        # As CPython prints an uncaught exception, and in the report, so the verdict can say it.
        tb = frames_of_reader(e)
        err_write(tb)
        err_flush()
        program = {"type": _text(type(e).__name__, 200), "message": _text(e, _MESSAGE_MAX), "traceback": tb}
        finish({"checks": [], "program": program})
        return

    def pristine():
        """Puts back what the checks measure with, whatever the reader's code changed."""
        vars(_builtins).update(builtins_then)
        vars(_time).update(time_then)
        modules["time"] = _time
        set_switch(switch_then)

    def outcome_of(call):
        pristine()
        start = perf_counter()
        try:
            call()
            outcome = {"ok": True}
        except AssertionError as e:
            message = _text(e, _MESSAGE_MAX) or "an assertion failed"
            outcome = {"ok": False, "kind": "assertion", "message": message}
        except BaseException as e:
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            outcome = {
                "ok": False,
                "kind": "exception",
                "message": _text(f"{_text(type(e).__name__, 200)}: {_text(e, _MESSAGE_MAX)}", _MESSAGE_MAX),
                "traceback": frames_of_reader(e),
            }
        outcome["startMs"] = start * 1000
        outcome["endMs"] = perf_counter() * 1000
        return outcome

    # 4. The checks, in order; the first failing one ends them (later ones build on it). Process
    #    pools the reader's code makes keep their processes for the later trials and pairs.
    keeper = _PoolKeeper(modules, module)
    keeper.install(any([speedup is not None and speedup[2] is not None for _, _, speedup in checks]))
    report = {"checks": []}

    def run_checks():
        for trials, fn, speedup in checks:
            result = {"trials": [], "pairs": None, "error": None}
            report["checks"].append(result)
            for trial in range(trials):
                if fn is None:
                    result["trials"].append(outcome_of(lambda: None))
                else:
                    result["trials"].append(outcome_of(lambda: fn(trial)))
            failed = any([not t["ok"] for t in result["trials"]])
            if speedup is not None and not failed:
                baseline, candidate, reference, n = speedup
                calls = [baseline, candidate] if reference is None else [baseline, candidate, reference]
                pairs = []
                for _ in range(n):
                    times = []
                    for call in calls:
                        outcome = outcome_of(call)
                        if not outcome["ok"]:
                            result["error"] = outcome
                            break
                        times.append(outcome["endMs"] - outcome["startMs"])
                    if result["error"] is not None:
                        break
                    pair = {"baselineMs": times[0], "runMs": times[1]}
                    if reference is not None:
                        pair["referenceMs"] = times[2]
                    pairs.append(pair)
                result["pairs"] = pairs
            if failed or result["error"] is not None:
                break

    try:
        run_checks()
    except KeyboardInterrupt as e:
        interrupted(e)
        return
    try:
        keeper.uninstall()
    except Exception:
        pass
    finish(report)


main(*_ARGS)
