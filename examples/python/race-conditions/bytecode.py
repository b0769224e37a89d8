"""`counter += 1` is not one step: it compiles to a read, an add and a write."""

import dis

counter = 0


def increment() -> None:
    global counter
    counter += 1


for instruction in dis.get_instructions(increment):
    # Skip entry and return bookkeeping, and loading the constant 1 (LOAD_SMALL_INT from 3.14).
    if instruction.opname not in (
        "RESUME", "RETURN_CONST", "RETURN_VALUE", "LOAD_CONST", "LOAD_SMALL_INT"
    ):
        print(f"{instruction.opname:<14} {instruction.argrepr}")
