# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). run_task(): runs one Thread.run() or executor call handed over by the coordinator and
# returns its pickled outcome.

def _initialize(executor_id, initializer):
    if not executor_id or initializer is None or executor_id in _run.initialized:
        return
    _run.initialized.add(executor_id)
    fn, args = pickle.loads(initializer.to_bytes())
    fn(*args)


def _task_payload(snapshot, task):
    """What crosses to a task's interpreter: the caller's globals (threads only) and the task."""
    return pickle.dumps((snapshot, task))


def _load_task(data, who):
    """Unpickles a task; a target the import did not define fails with a message naming the limit."""
    try:
        return pickle.loads(data)
    except Exception as e:
        raise RuntimeError(
            f"GIL Lab: {who} cannot run here: {type(e).__name__}: {e}. Each thread here is its own "
            "interpreter, which imports the program without running its "
            '`if __name__ == "__main__":` part, so a function (or class) that a thread or a pool '
            "runs must be defined at module level, outside that block."
        ) from None


def _report_thread_error(name, e):
    """Prints an exception that ended a thread, as CPython's threading.excepthook does."""
    if not (isinstance(e, KeyboardInterrupt) and _js.stopped()):
        print(f"Exception in thread {name}:\n{_format(e)}", end="", file=sys.stderr)


def _run_thread(data, name):
    try:
        thread = _load_task(data, f"the thread {name!r}")
    except RuntimeError as e:
        _report_thread_error(name, e)
        return pickle.dumps({})
    thread._fid = -1
    thread._absorbed = True
    _run.current = thread
    before = _args_fingerprints(thread._target, thread._args, thread._kwargs)
    try:
        thread.run()
    except SystemExit:
        pass
    except BaseException as e:
        _report_thread_error(thread.name, e)
    finally:
        _run.current = None
    after = _args_fingerprints(thread._target, thread._args, thread._kwargs)
    _warn_lost_changes(thread.name, before, after)
    state = {}
    for key, value in thread.__getstate__().items():
        try:
            pickle.dumps(value)
            state[key] = value
        except Exception:
            pass
    return pickle.dumps(state)


def _pickled_error(e):
    """(exception pickle, its type's name, message, traceback text): the exception may not
    unpickle in the caller (an __init__ with required arguments), so its text travels beside it."""
    text = _format(e)
    try:
        exc = pickle.dumps(e)
    except Exception:
        exc = None
    return pickle.dumps((exc, type(e).__qualname__, str(e), text))


def run_task(kind, payload, name, executor_id, initializer, thread_name=None):
    """Runs one task; returns (status, payload bytes as a Uint8Array)."""
    try:
        snapshot, data = pickle.loads(payload.to_bytes())
        who = name if kind == "thread" else f"the task {name!r}"
        thread_name = thread_name or _run.label
        _apply_globals(snapshot, who)
        _initialize(executor_id, initializer)
        if kind == "thread":
            out = (_OK, _run_thread(data, name))
        else:
            fn, args, kwargs = _load_task(data, f"the task {name!r}")
            if _run.role != "thread":
                thread_name = "MainThread"  # a process pool's worker runs tasks on its main thread
            _run.current = _NamedThread(thread_name, _run.lane + 1)
            before = _args_fingerprints(fn, args, kwargs)
            try:
                value = fn(*args, **kwargs)
            finally:
                _run.current = None
            _warn_lost_changes(f"the task {name!r}", before, _args_fingerprints(fn, args, kwargs))
            out = (_OK, pickle.dumps(value))
    except BaseException as e:
        out = (_ERROR, _pickled_error(e))
    _flush()
    return (out[0], to_js(out[1]))
