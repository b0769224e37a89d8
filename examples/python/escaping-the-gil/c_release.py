"""The same blocking C function, called with and without releasing the GIL, from four threads.

ctypes.CDLL releases the GIL around every call into the library; ctypes.PyDLL keeps it held,
like a C extension that forgets Py_BEGIN_ALLOW_THREADS. (POSIX: usleep is in the C library.)"""

import ctypes
import ctypes.util
import time
from concurrent.futures import ThreadPoolExecutor

LIBC = ctypes.util.find_library("c") or "libc.so.6"
releasing = ctypes.CDLL(LIBC).usleep  # GIL released during the call
holding = ctypes.PyDLL(LIBC).usleep  # GIL held during the call


def four_threads(usleep) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(usleep, [200_000] * 4))  # each call blocks in C for 0.2 s
    return time.perf_counter() - start


print(f"CDLL  (releases the GIL): 4 threads x 0.2 s in C took {four_threads(releasing):.2f} s")
print(f"PyDLL (holds the GIL):    4 threads x 0.2 s in C took {four_threads(holding):.2f} s")
