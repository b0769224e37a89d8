"""Describes the interpreter and the machine the figures were measured on."""

from __future__ import annotations

import datetime
import os
import platform
import sys


def python_info() -> dict:
    """Version, implementation and GIL facts of the running interpreter."""
    # sys._is_gil_enabled exists only from 3.13; before that every CPython build has the GIL.
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gilEnabled": bool(is_gil_enabled()) if is_gil_enabled else True,
        "defaultSwitchIntervalS": sys.getswitchinterval(),
    }


def load_average_1m() -> float:
    """1-minute load average: tells a reader how busy the shared machine was."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # not available on every platform; -1 marks "unknown"
        return -1.0


def machine_info() -> dict:
    """Core count and platform string (load averages are added by the orchestrator)."""
    return {"cores": os.cpu_count() or 1, "platform": platform.platform()}


def now_iso() -> str:
    """Current UTC time as ISO 8601 with a Z suffix (what JavaScript's Date parses)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
