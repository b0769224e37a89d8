# Part of the gil_lab_shim module (see shim-bundle.ts: the parts run in one namespace, in
# file-name order). The run this interpreter is in (`_run`, reset by join()), the constants shared with the
# TypeScript side, and how the shim tells the reader's frames from its own.
"""GIL Lab's shim, installed in every Pyodide interpreter before the reader's program runs.

Each "thread" here is its own interpreter in its own Web Worker; the interpreters of a run take
turns on one GIL in shared memory (as CPython's subinterpreters did before 3.12). This module
makes the standard library behave accordingly:

- the eval breaker: a SIGUSR1 handler (raised through Pyodide's interrupt buffer by a waiter
  whose switch interval ran out) hands the GIL over, like CPython's drop request;
- time.sleep, large hashlib/zlib calls and lock waits release the GIL around the blocking part;
- sys.setswitchinterval / getswitchinterval use the run's shared interval;
- threading.Thread and concurrent.futures run their targets in other interpreters: the target
  and its arguments are pickled, results and exceptions come back pickled;
- threading.Lock / RLock made by the program live in shared memory, so they really are shared;
- what cannot work this way fails fast with a message that names the limit.

The JavaScript half is the `_gil_lab_js` module (src/runtime/python/bridge.ts). Its functions
return -1 when the reader pressed Stop; the shim then raises KeyboardInterrupt.
"""

import ast
import builtins
import collections
import functools
import hashlib
import io
import itertools
import json
import linecache
import pickle
import signal
import sys
import threading
import time
import traceback
import types
import zlib
import _thread

import _gil_lab_js as _js
from pyodide.ffi import to_js

# Timeline states (src/runtime/timeline.ts) and future states (src/runtime/python/memory.ts).
_PENDING, _RUNNING, _FINISHED, _CANCELLED_STATE = 0, 1, 2, 3
# Mailbox statuses (src/runtime/python/mailbox.ts).
_OK, _ERROR, _CANCELLED, _ACCEPTED, _REFUSED = 1, 2, 3, 10, 11
# CPython's HASHLIB_GIL_MINSIZE: smaller buffers are hashed without releasing the GIL.
_NATIVE_MIN_BYTES = 2048
_SHIM_FILE = __file__

_real = {
    "sleep": time.sleep,
    "Thread": threading.Thread,
    "current_thread": threading.current_thread,
    "allocate_lock": _thread.allocate_lock,
    "RLock": threading.RLock,
}


class _Run:
    """Where this interpreter stands in the current run (reset by join())."""

    def __init__(self, config=None):
        config = config or {}
        self.lane = config.get("lane", 0)
        self.label = config.get("label", "MainThread")
        self.role = config.get("role", "main")
        self.space = config.get("space", 0)
        self.mode = config.get("mode", "gil")
        self.filename = config.get("filename", "main.py")
        self.cpu_count = config.get("cpu_count", 1)
        self.max_interpreters = config.get("max_interpreters", 8)
        self.generation = config.get("generation", 0)
        self.module = None
        self.source = ""
        self.importing = False
        self.lock_counts = collections.Counter()
        self.thread_numbers = itertools.count(1)
        self.executor_numbers = itertools.count(0)
        self.results = {}
        self.acks = {}
        self.callbacks = collections.defaultdict(list)
        self.arrival = itertools.count()
        self.arrived = {}
        self.started = []
        self.pending = []
        self.current = None
        self.initialized = set()
        self.globals_seen = {}
        self.globals_warned = set()
        self.globals_applied = {}


_run = _Run()
_generations = itertools.count(1)


class _WorkerImport(Exception):
    """Raised in a thread's interpreter when the module's definitions try to start work."""


def _stopped():
    """The KeyboardInterrupt of Stop, raised once (the pending SIGINT is consumed)."""
    _js.consume_interrupt()
    return KeyboardInterrupt()


def _ok(rc):
    if rc == -1:
        raise _stopped()
    return rc


def _program_frame(depth):
    """True if the frame `depth` levels up (skipping import machinery) is the reader's code."""
    f = sys._getframe(depth + 1)
    while f is not None and f.f_code.co_filename.startswith("<frozen"):
        f = f.f_back
    return f is not None and f.f_code.co_filename == _run.filename


def _program_line():
    """Line of the innermost frame in the reader's code."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename != _run.filename:
        f = f.f_back
    return f.f_lineno if f is not None else 0
