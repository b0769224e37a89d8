# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). install(): patches the standard library once, when the interpreter boots (plus the bench's
# countdown helper).

def countdown_ms(n):
    t0 = time.perf_counter()
    while n > 0:
        n -= 1
    return (time.perf_counter() - t0) * 1000.0


def install(cpu_count):
    """Patches the standard library once, when the interpreter boots."""
    _run.cpu_count = int(cpu_count)
    # os.cpu_count(): the page's cores (Emscripten says 1), as the one-interpreter engine reports
    # them: a program that sizes a pool from it, or prints it, sees the machine it runs on.
    import os

    for name in ("cpu_count", "process_cpu_count"):
        if hasattr(os, name):
            setattr(os, name, lambda: _run.cpu_count)
    signal.signal(signal.SIGUSR1, _on_switch_request)
    signal.signal(signal.SIGUSR2, _on_flush_request)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    time.sleep = sleep
    _install_clock()
    sys.setswitchinterval = setswitchinterval
    sys.getswitchinterval = getswitchinterval
    sys.setrecursionlimit = setrecursionlimit

    names = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s")
    names += ("sha3_224", "sha3_256", "sha3_384", "sha3_512")
    for name in names:
        if hasattr(hashlib, name):
            setattr(hashlib, name, _releasing_constructor(getattr(hashlib, name)))
    new = hashlib.new
    hashlib.new = lambda name, data=b"", **kw: _releasing_constructor(
        lambda **k: new(name, **k)
    )(data, **kw)
    zlib.compress = _releasing_call(zlib.compress)
    zlib.decompress = _releasing_call(zlib.decompress)

    threading.Thread = Thread
    threading.Lock = Lock
    threading.RLock = RLock
    threading.current_thread = threading.currentThread = current_thread
    threading.main_thread = main_thread
    threading.get_ident = get_ident
    threading.enumerate = _threads
    threading.active_count = threading.activeCount = active_count
    for name in ("Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "Timer"):
        setattr(threading, name, _unsupported(threading, name))
    import queue

    for name in ("Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"):
        setattr(queue, name, _unsupported(queue, name))

    global _futures
    import concurrent.futures as _futures

    for module in (_futures, sys.modules.get("concurrent.futures._base")):
        if module is None:
            continue
        module.Future = Future
        module.wait = wait
        module.as_completed = as_completed
    _futures.ThreadPoolExecutor = ThreadPoolExecutor
    _futures.ProcessPoolExecutor = ProcessPoolExecutor
    builtins.__import__ = _guarded_import
    sys.meta_path.append(_MissingImports)
    builtins.input = _no_input
    sys.stdin = _NoStdin()
    _block_network()
    _install_asyncio()
