# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). The "GIL Lab warning": a thread's changes to globals or to its arguments stay in its own
# interpreter, so they are fingerprinted before and after and reported.

def _fingerprint(value):
    if isinstance(value, (list, dict, set, bytearray)):
        if len(value) > 100_000:
            return ("len", len(value))
        try:
            return pickle.dumps(value)
        except Exception:
            return ("len", len(value))
    return None


def _globals_fingerprint():
    if _run.module is None:
        return {}
    return {
        name: (id(value), _fingerprint(value))
        for name, value in vars(_run.module).items()
        if not name.startswith("__")
    }


def _warn_lost_changes(who, args_before, args_after):
    """A thread's changes to globals or arguments stay in its interpreter: say so, loudly."""
    if _run.role != "thread":
        return
    now = _globals_fingerprint()
    changed = [name for name, seen in now.items() if _run.globals_seen.get(name) != seen]
    _run.globals_seen = now
    notes = []
    if changed:
        names = ", ".join(repr(n) for n in changed)
        notes.append(f"changed the global{'s' if len(changed) > 1 else ''} {names}")
    for i, (before, after) in enumerate(zip(args_before, args_after)):
        if before is not None and before != after:
            notes.append(f"changed its argument #{i + 1}")
    if notes:
        print(
            f"GIL Lab warning: {who} {' and '.join(notes)}, but each thread here runs in its own "
            "interpreter (like a subinterpreter), so the main program will not see that change. "
            "Return results instead (Future.result(), or attributes of a Thread subclass).",
            file=sys.stderr,
        )


def _args_fingerprints(args, kwargs):
    return [_fingerprint(a) for a in list(args) + list(kwargs.values())]
