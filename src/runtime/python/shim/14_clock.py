# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). time.perf_counter / monotonic (and their _ns forms): one clock for every
# interpreter of a run. Pyodide's own count from each worker's start, so stamps taken in
# different threads (the start and end of their waits) could not be compared; in CPython they
# can, and programs do.


def perf_counter():
    return _js.clock_ms() / 1000.0


def perf_counter_ns():
    return int(_js.clock_ms() * 1_000_000)


def monotonic():
    return _js.clock_ms() / 1000.0


def monotonic_ns():
    return int(_js.clock_ms() * 1_000_000)


def _install_clock():
    time.perf_counter = perf_counter
    time.perf_counter_ns = perf_counter_ns
    time.monotonic = monotonic
    time.monotonic_ns = monotonic_ns
