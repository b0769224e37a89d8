"""Where may this Python switch threads? The instructions of two increment loops, marked with the
points where the running thread checks for a request to drop the GIL, by this version's rules."""

import dis
import sys
import sysconfig

counter = 0


def touch() -> None:
    """An empty function: calling it enters a Python function, which is a switch point."""


def plain() -> None:
    global counter
    for _ in range(3):
        counter += 1


def call_between() -> None:
    global counter
    for _ in range(3):
        value = counter
        touch()
        counter = value + 1


def rule():
    """Return (description, test) for the running interpreter. Checked against CPython's sources:
    3.9's ceval.c checks the eval breaker at the top of its loop, before almost every instruction;
    3.10 "after calls and on backwards edges" (GH-18334); 3.11+ on RESUME (function entry) and
    JUMP_BACKWARD. A call into a Python function can switch at the callee's entry."""
    gil_off = bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and not sys._is_gil_enabled()
    if gil_off:
        return "no GIL: the threads run at once, between any two instructions", lambda i: True
    if sys.version_info < (3, 10):
        return "before almost every instruction", lambda i: True
    calls = ("CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW", "CALL_FUNCTION_EX")
    if sys.version_info < (3, 11):
        return "backward jumps and after calls", lambda i: (
            i.opname == "JUMP_ABSOLUTE" or i.opname in calls)
    return "RESUME, backward jumps and inside calls", lambda i: (
        i.opname in ("RESUME", "JUMP_BACKWARD") or i.opname.startswith("CALL"))


description, may_switch = rule()
print(f"Python {sys.version.split()[0]}: may switch at {description}")
for function in (plain, call_between):
    print(f"\n{function.__name__}:")
    for instruction in dis.get_instructions(function):
        if instruction.opname in ("PRECALL", "CACHE"):  # 3.11 bookkeeping, not a step of its own
            continue
        mark = "  <- may switch" if may_switch(instruction) else ""
        # 3.14's LOAD_SMALL_INT has no argrepr: its argument is the int itself.
        shown = str(instruction.arg) if instruction.opname == "LOAD_SMALL_INT" else instruction.argrepr
        print(f"  {instruction.opname:<16} {shown:<22}{mark}".rstrip())
