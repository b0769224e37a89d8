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
        if name.startswith("multiprocessing"):
            module = _real_import(name, globals, locals, fromlist, level)
            _patch_multiprocessing()
            return module
    return _real_import(name, globals, locals, fromlist, level)


_real_import = builtins.__import__


class _MissingImports:
    """Last on sys.meta_path: a clearer message for any other module that is not here."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if path is None and _program_frame(1):
            raise ModuleNotFoundError(_NO_PACKAGES.format(name=f"the module '{name}'"), name=name)
        return None


_NO_INPUT = (
    "input() is not available here: GIL Lab programs cannot read from the keyboard; "
    "put the value in the code"
)


def _no_input(prompt=""):
    """builtins.input: there is no keyboard to read from (Pyodide would ask the page's prompt(),
    which a Web Worker does not have). EOFError, as CPython raises when stdin is closed."""
    raise EOFError(f"GIL Lab: {_NO_INPUT}")


class _NoStdin(io.TextIOBase):
    """sys.stdin: reads end at once with the same clear message."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise EOFError(f"GIL Lab: {_NO_INPUT} (sys.stdin cannot be read)")

    readline = read

    def readlines(self, hint=-1):
        return self.read()

    def isatty(self):
        return False

    def fileno(self):
        raise io.UnsupportedOperation("GIL Lab: sys.stdin has no file descriptor here")


_NO_NETWORK = (
    "GIL Lab: network access is not available in GIL Lab's Python: the interpreter runs in a "
    "browser Web Worker without sockets, so urllib.request, http.client and socket connections "
    "cannot reach a server. Put the data in the program (a string or bytes) instead"
)


class NetworkUnavailable(ConnectionError):
    """Raised when a program tries to open a network connection."""


def _no_network(*args, **kwargs):
    raise NetworkUnavailable(_NO_NETWORK)


def _block_network():
    """socket.create_connection and socket.socket.connect refuse at once, whoever imported socket
    (http.client and urllib.request import it themselves, so the import guard never sees it)."""
    import socket

    socket.create_connection = _no_network
    socket.socket.connect = _no_network
    socket.socket.connect_ex = _no_network
