"""The switch interval: how long a waiting thread waits before asking for the GIL."""

import sys

print(f"default switch interval: {sys.getswitchinterval() * 1000:g} ms")

sys.setswitchinterval(0.001)  # in seconds; affects every thread in the interpreter
print(f"after setswitchinterval(0.001): {sys.getswitchinterval() * 1000:g} ms")
