"""`counter += 1` is not one step: it compiles to a read, an add and a write."""

import dis

counter = 0


def increment() -> None:
    global counter
    counter += 1


for instruction in dis.get_instructions(increment):
    if instruction.opname == "RESUME":  # entry bookkeeping (3.11+), not part of the statement
        continue
    # 3.14's LOAD_SMALL_INT has no argrepr: its argument is the int itself.
    shown = str(instruction.arg) if instruction.opname == "LOAD_SMALL_INT" else instruction.argrepr
    print(f"{instruction.opname:<14} {shown}")
    if instruction.opname == "STORE_GLOBAL":
        break  # what follows is the function's implicit `return None`
