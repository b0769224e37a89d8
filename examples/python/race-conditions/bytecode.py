"""`counter += 1` is not one step: it compiles to a read, an add and a write."""

import dis

counter = 0


def increment() -> None:
    global counter
    counter += 1


for instruction in dis.get_instructions(increment):
    if instruction.opname not in ("RESUME", "RETURN_CONST", "RETURN_VALUE", "LOAD_CONST"):
        print(f"{instruction.opname:<14} {instruction.argrepr}")
