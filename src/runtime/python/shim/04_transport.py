# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). Talking to the coordinator (src/runtime/python/session.ts): pickling what crosses
# interpreters, posting requests, and blocking (GIL released) until a delivery arrives.

_pickling_for_process = False


def _dumps(obj, what, for_process=False):
    global _pickling_for_process
    _pickling_for_process = for_process
    try:
        return pickle.dumps(obj)
    except Exception as e:
        kind = "process" if for_process else "thread"
        raise TypeError(
            f"GIL Lab: a {kind} here is its own interpreter, so {what} is copied there with pickle, "
            f"and that failed: {e}. Define functions at module level (not lambdas or nested "
            "functions) and pass picklable arguments."
        ) from None
    finally:
        _pickling_for_process = False


def _post(fields, payload=None):
    _js.post(json.dumps(fields), None if payload is None else to_js(payload))


def _store(d):
    fid, status, payload = int(d.fid), int(d.status), d.payload.to_bytes()
    if status in (_ACCEPTED, _REFUSED):
        _run.acks[fid] = (status, payload)
        return
    if fid in _run.results:
        return
    _run.results[fid] = (status, payload)
    _run.arrived[fid] = next(_run.arrival)
    for future, fn in _run.callbacks.pop(fid, ()):
        _call_back(future, fn)


def _wait_any(fids, timeout=None, table=None):
    """Blocks (GIL released) until one of `fids` is in `table` (default: results). False on timeout."""
    table = _run.results if table is None else table
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
    while True:
        if any(f in table for f in fids):
            return True
        left = -1 if deadline is None else max(0.0, (deadline - time.monotonic()) * 1000.0)
        d = _js.await_any(json.dumps([f for f in fids if f not in table]), left)
        if isinstance(d, (int, float)):
            raise _stopped()
        if d is None:
            return any(f in table for f in fids)
        _store(d)


def _refuse_during_import(what):
    if not _run.importing or _run.role == "main":
        return
    if _run.role == "thread":
        raise _WorkerImport(what)
    raise RuntimeError(
        "An attempt has been made to start a new process before the current process has "
        "finished its bootstrapping phase. (GIL Lab: the program runs again in each process "
        "interpreter, so put the code that starts threads and processes under "
        "`if __name__ == '__main__':`.)"
    )


def _submit(fid, executor, call, payload, name, daemon):
    _post(
        {
            "kind": "submit",
            "fid": fid,
            "executor": executor,
            "call": call,
            "name": name,
            "daemon": daemon,
            "payload": None,
        },
        payload,
    )
