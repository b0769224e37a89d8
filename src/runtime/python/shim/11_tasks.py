# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). run_task(): runs one Thread.run() or executor call handed over by the coordinator and
# returns its pickled outcome.

def _initialize(executor_id, initializer):
    if not executor_id or initializer is None or executor_id in _run.initialized:
        return
    _run.initialized.add(executor_id)
    fn, args = pickle.loads(initializer.to_bytes())
    fn(*args)


def _run_thread(payload):
    thread = pickle.loads(payload)
    thread._fid = -1
    thread._absorbed = True
    _run.current = thread
    before = _args_fingerprints(thread._args, thread._kwargs)
    try:
        thread.run()
    except SystemExit:
        pass
    except BaseException as e:
        if not (isinstance(e, KeyboardInterrupt) and _js.stopped()):
            print(f"Exception in thread {thread.name}:\n{_format(e)}", end="", file=sys.stderr)
    finally:
        _run.current = None
    _warn_lost_changes(thread.name, before, _args_fingerprints(thread._args, thread._kwargs))
    state = {}
    for key, value in thread.__getstate__().items():
        try:
            pickle.dumps(value)
            state[key] = value
        except Exception:
            pass
    return pickle.dumps(state)


def _pickled_error(e):
    text = _format(e)
    try:
        return pickle.dumps((e, text))
    except Exception:
        return pickle.dumps((RuntimeError(f"{type(e).__name__}: {e}"), text))


def run_task(kind, payload, name, executor_id, initializer):
    """Runs one task; returns (status, payload bytes as a Uint8Array)."""
    data = payload.to_bytes()
    try:
        _initialize(executor_id, initializer)
        if kind == "thread":
            out = (_OK, _run_thread(data))
        else:
            fn, args, kwargs = pickle.loads(data)
            _run.current = _NamedThread(name if _run.role == "thread" else "MainThread", _run.lane + 1)
            before = _args_fingerprints(args, kwargs)
            try:
                value = fn(*args, **kwargs)
            finally:
                _run.current = None
            _warn_lost_changes(f"the task {name!r}", before, _args_fingerprints(args, kwargs))
            out = (_OK, pickle.dumps(value))
    except BaseException as e:
        out = (_ERROR, _pickled_error(e))
    _flush()
    return (out[0], to_js(out[1]))
