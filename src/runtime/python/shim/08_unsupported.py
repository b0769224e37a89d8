# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). What cannot work when each thread is its own interpreter fails fast with a message naming the
# limit: unshared synchronisation primitives, sockets, packages beyond the standard library.

def _unsupported(module, name):
    real = getattr(module, name)
    message = (
        f"GIL Lab: {module.__name__}.{name} is not supported: each thread here runs in its own "
        "interpreter, so only threading.Lock and threading.RLock are shared between threads. "
        "Return results from threads instead (Future.result(), or attributes of a Thread subclass)."
    )

    def make(*args, **kwargs):
        if _program_frame(1):
            raise NotImplementedError(message)
        return real(*args, **kwargs)

    make.__name__ = name
    return make


_NO_PACKAGES = (
    "GIL Lab: {name} is not available here: the interpreter has only Python's standard "
    "library (no packages such as numpy)"
)
_BLOCKED = {
    "socket": "GIL Lab: sockets are not available in the browser (import socket)",
    "ssl": "GIL Lab: sockets are not available in the browser (import ssl)",
    "socketserver": "GIL Lab: sockets are not available in the browser (import socketserver)",
    **{
        name: _NO_PACKAGES.format(name=name)
        for name in ("numpy", "pandas", "scipy", "matplotlib", "numba", "torch", "requests")
    },
}


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """builtins.__import__: refuses what cannot work here when the reader's module imports it
    (some of it, like socket, is already loaded, so a finder on sys.meta_path would not see it)."""
    if level == 0 and globals is not None and globals.get("__file__") == _run.filename:
        message = _BLOCKED.get(name.partition(".")[0])
        if message is not None:
            raise ModuleNotFoundError(message, name=name)
    return _real_import(name, globals, locals, fromlist, level)


_real_import = builtins.__import__


class _MissingImports:
    """Last on sys.meta_path: a clearer message for any other module that is not here."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if path is None and _program_frame(1):
            raise ModuleNotFoundError(_NO_PACKAGES.format(name=f"the module '{name}'"), name=name)
        return None
