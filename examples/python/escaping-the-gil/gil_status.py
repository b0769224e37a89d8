"""Which Python is this, and is the GIL on? Run it with python3.13t or python3.14t too."""

import sys
import sysconfig

# Py_GIL_DISABLED is 1 in a free-threaded build (3.13t, 3.14t), 0 or None otherwise.
free_threaded_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
print(f"Python {sys.version_info.major}.{sys.version_info.minor}")
print(f"free-threaded build: {free_threaded_build}")

# sys._is_gil_enabled() is new in 3.13. A free-threaded build can still turn the GIL back on:
# PYTHON_GIL=1, -X gil=1, or importing an extension module that has not declared it is safe.
if hasattr(sys, "_is_gil_enabled"):
    print(f"GIL enabled right now: {sys._is_gil_enabled()}")
else:
    print("GIL enabled right now: True (before 3.13 every build has the GIL)")
