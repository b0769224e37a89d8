"""Every object carries a reference count; CPython frees the object when it drops to zero."""

import sys

data = []
before = sys.getrefcount(data)  # the exact number varies by version; the changes do not

alias = data
print(f"alias = data adds {sys.getrefcount(data) - before} reference")

del alias
print(f"del alias removes it again: {sys.getrefcount(data) == before}")
