# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). Module globals across interpreters. A thread's interpreter imports only the
# module's definitions, so Thread.start() / submit() send a copy of the caller's globals (as
# they are at that moment) and the task's interpreter applies it before running: a thread sees
# the program's globals as of start(), like a copy. What a thread changes stays in its own
# interpreter, so globals, arguments and the target's object are fingerprinted before and after
# and a "GIL Lab warning" reports any change the main program will not see.

# A global whose pickle is larger than this is not copied (a warning names it).
_GLOBAL_MAX_BYTES = 2 * 2**20
# Nor are further globals once the copies of one start() / submit() reach this total.
_GLOBALS_MAX_BYTES = 8 * 2**20


def _copied_global(name, value):
    """True for the globals a thread gets a copy of: the program's data, not its code."""
    if name.startswith("__"):
        return False
    if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
        return False
    # Executors, futures and threads stand for the coordinator's objects: never copied.
    return not isinstance(value, (_Executor, Future, Thread))


def _globals_snapshot():
    """The caller's module globals, pickled one by one (for a thread's interpreter)."""
    module = _run.module
    if module is None:
        return b""
    copies, total, skipped = {}, 0, []
    for name, value in list(vars(module).items()):
        if not _copied_global(name, value):
            continue
        try:
            data = pickle.dumps(value)
        except Exception as e:
            skipped.append((name, f"it cannot be pickled ({type(e).__name__}: {e})"))
            continue
        if len(data) > _GLOBAL_MAX_BYTES or total + len(data) > _GLOBALS_MAX_BYTES:
            mb = len(data) / 2**20
            skipped.append((name, f"its copy ({mb:.1f} MB pickled) is too large to send"))
            continue
        copies[name] = data
        total += len(data)
    _warn_not_copied(skipped)
    return pickle.dumps(copies)


def _warn_not_copied(skipped):
    """Names the globals a thread cannot get (once per name and run)."""
    new = [(n, why) for n, why in skipped if n not in _run.globals_warned]
    if not new:
        return
    _run.globals_warned.update(n for n, _ in new)
    reasons = "; ".join(f"{n!r}: {why}" for n, why in new)
    print(
        f"GIL Lab warning: each thread here runs in its own interpreter, which gets a copy of "
        f"the program's globals when it starts, but not of {reasons}. A thread sees "
        f"{'that global' if len(new) == 1 else 'those globals'} as importing the module "
        "(its definitions only) left it; pass what a thread needs as arguments instead.",
        file=sys.stderr,
    )


def _apply_globals(snapshot, who):
    """In a task's interpreter: takes the caller's globals before the task runs."""
    if not snapshot or _run.module is None:
        return
    namespace = vars(_run.module)
    failed = []
    copies = pickle.loads(snapshot)
    for name, data in copies.items():
        # Unchanged on both sides since the last task here: keep it (unpickling costs).
        last = _run.globals_applied.get(name)
        if last is not None and last[0] == data and _run.globals_seen.get(name) == last[1]:
            continue
        try:
            namespace[name] = pickle.loads(data)
        except Exception as e:
            failed.append((name, f"it cannot be re-created there ({type(e).__name__}: {e})"))
    if failed:
        new = [(n, why) for n, why in failed if n not in _run.globals_warned]
        _run.globals_warned.update(n for n, _ in new)
        if new:
            reasons = "; ".join(f"{n!r}: {why}" for n, why in new)
            print(
                f"GIL Lab warning: {who} did not get a copy of the global{'s' if len(new) > 1 else ''} "
                f"{reasons}. Define the classes and functions a thread uses at module level, "
                'outside `if __name__ == "__main__":`.',
                file=sys.stderr,
            )
    _run.globals_seen = _globals_fingerprint()
    lost = {n for n, _ in failed}
    _run.globals_applied = {
        n: (data, _run.globals_seen.get(n)) for n, data in copies.items() if n not in lost
    }


_FINGERPRINTED = (list, dict, set, bytearray, collections.deque)


def _fingerprint(value):
    """Something that changes when `value` changes in place (None: not tracked)."""
    if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
        return None
    if isinstance(value, _FINGERPRINTED):
        try:
            data = pickle.dumps(value)
        except Exception:
            return ("len", len(value))
        # Large containers: a checksum, not the whole copy.
        return ("crc", len(data), zlib.crc32(data)) if len(data) > 1 << 16 else data
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict) and not isinstance(value, (_Executor, Future, Thread)):
        try:
            data = pickle.dumps(state)
        except Exception:
            return None
        return ("attrs", len(data), zlib.crc32(data))
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
            notes.append("changed the object its target method belongs to" if i == 0 and before[0] == "self" else f"changed its argument #{i}")
    if notes:
        print(
            f"GIL Lab warning: {who} {' and '.join(notes)}, but each thread here runs in its own "
            "interpreter (like a subinterpreter), so the main program will not see that change. "
            "Return results instead (Future.result(), or attributes of a Thread subclass).",
            file=sys.stderr,
        )


def _args_fingerprints(target, args, kwargs):
    """Fingerprints of the target's object (a bound method's self), then of each argument."""
    owner = getattr(target, "__self__", None)
    if isinstance(owner, types.ModuleType) or isinstance(owner, Thread):
        owner = None
    first = None if owner is None else ("self", _fingerprint(owner))
    return [first] + [_fingerprint(a) for a in list(args) + list(kwargs.values())]
