# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). The reader's program: join() gives the interpreter a fresh module (thread interpreters run
# its definitions, process interpreters all of it); run_main() runs it as __main__.

class _CollapsedStack(traceback.StackSummary):
    """A stack whose long runs of one repeated frame keep only the four that format() looks at
    (it shows three, then "[Previous line repeated N more times]"), with the true counts: a
    RecursionError's 100,000 frames took minutes to format in the browser."""

    repeats = ()

    def format(self, **kwargs):
        counts = iter(self.repeats)
        lines = super().format(**kwargs)
        for i, line in enumerate(lines):
            if line == "  [Previous line repeated 1 more time]\n":
                n = next(counts, 1)
                lines[i] = f"  [Previous line repeated {n} more time{'s' if n > 1 else ''}]\n"
        return lines


def _collapsed(frames):
    kept, repeats, i = [], [], 0
    while i < len(frames):
        f, j = frames[i], i + 1
        while j < len(frames) and (frames[j].filename, frames[j].lineno, frames[j].name) == (
            f.filename,
            f.lineno,
            f.name,
        ):
            j += 1
        if j - i > 4:
            kept.extend(frames[i : i + 4])
            repeats.append(j - i - 3)
        else:
            kept.extend(frames[i:j])
            if j - i == 4:
                repeats.append(1)
        i = j
    stack = _CollapsedStack(kept)
    stack.repeats = repeats
    return stack


def _without_shim(te, seen):
    """Drops the shim's own frames from a TracebackException and the exceptions it chains."""
    while te is not None and id(te) not in seen:
        seen.add(id(te))
        te.stack = _collapsed([f for f in te.stack if f.filename != _SHIM_FILE])
        _without_shim(te.__cause__, seen)
        te = te.__context__


def _format(e):
    """The traceback the reader sees: their frames (and the standard library's), not the shim's."""
    te = traceback.TracebackException.from_exception(e, lookup_lines=False)
    _without_shim(te, set())
    return "".join(te.format())


def _error(e):
    return {"type": type(e).__name__, "message": str(e), "traceback": _format(e)}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _new_module(name):
    module = types.ModuleType(name)
    module.__file__ = _run.filename
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.modules["__mp_main__"] = module
    _run.module = module
    return module


def _definitions_only(tree):
    """What a thread's interpreter runs of the module: imports, definitions and assignments."""
    keep = (
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
        ast.Try,
    )
    return [node for node in tree.body if isinstance(node, keep)]


def _import_program():
    """Runs the module in this (non-main) interpreter as `__mp_main__`."""
    module = _new_module("__mp_main__")
    tree = ast.parse(_run.source, _run.filename)
    _run.importing = True
    saved = sys.stdout, sys.stderr
    try:
        if _run.role == "process":
            # A spawned process runs the whole module again (its __main__ part excepted).
            exec(compile(tree, _run.filename, "exec"), module.__dict__)
            return
        # A thread shares the program's module in CPython: run only its definitions, quietly.
        sys.stdout = sys.stderr = io.StringIO()
        for node in _definitions_only(tree):
            code = compile(ast.Module([node], []), _run.filename, "exec")
            try:
                exec(code, module.__dict__)
            except (_WorkerImport, Exception):
                pass
    finally:
        sys.stdout, sys.stderr = saved
        _run.importing = False
        _run.globals_seen = _globals_fingerprint()


def join(config_json, source):
    """Joins a run: fresh state and module; the non-main interpreters import the program."""
    global _run
    config = json.loads(config_json)
    config["generation"] = next(_generations)
    _run = _Run(config)
    _run.source = source
    linecache.cache[_run.filename] = (len(source), None, source.splitlines(True), _run.filename)
    if _run.role == "main":
        return {"ok": True, "error": None}
    try:
        _import_program()
        return {"ok": True, "error": None}
    except BaseException as e:
        return {"ok": False, "error": _error(e)}


def _wait_at_exit():
    """What CPython does at exit: wait for non-daemon threads and for executors' work."""
    for t in list(_run.started):
        if not t.daemon:
            t.join()
    for f in list(_run.pending):
        f._wait(None)


def run_main():
    module = _new_module("__main__")
    error = None
    try:
        _run.importing = True
        try:
            exec(compile(_run.source, _run.filename, "exec"), module.__dict__)
        finally:
            _run.importing = False
        _wait_at_exit()
    except SystemExit as e:
        if e.code not in (None, 0):
            error = _error(e)
            if not isinstance(e.code, int):
                print(e.code, file=sys.stderr)  # CPython prints a non-integer exit code
    except BaseException as e:
        error = _error(e)
        print(error["traceback"], end="", file=sys.stderr)
        if not isinstance(e, KeyboardInterrupt):
            try:
                _wait_at_exit()
            except BaseException:
                pass
    _flush()
    return {"ok": error is None, "error": error}
