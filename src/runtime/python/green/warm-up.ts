/**
 * The eval-loop warm-up: a Python program the one-interpreter engine runs (engine.ts) before a
 * page's first program that times itself, and at idle after the interpreter boots. warmth.ts
 * reads its probes and says when it is enough.
 *
 * Why (measured in Chromium 156 with --trace-wasm-compilation-times and --trace-deopt): the
 * engine first runs a WebAssembly function on baseline code (Liftoff) and compiles optimised code
 * (TurboFan, 0.8–2.4 s for CPython's eval loop `_PyEval_EvalFrameDefault` on this machine) once
 * it has run a while. The optimised code inlines the indirect call targets the baseline code saw
 * and throws itself away (a deopt, "wrong call target") when a new one comes: the running call
 * drops back to baseline code, and a wasm call keeps the code it runs (there is no on-stack
 * replacement for wasm). CPython runs a thread's Python in one such call, so a program started
 * on cold code, or whose first call of a new kind of function (time.perf_counter, a thread
 * switch) deopted it, ran a whole part several times slower than another: lesson 1's
 * countdown.py printed 0.41–2.11x sequential with the GIL, shared_vs_own.py 2.88x "the rate of
 * 1 thread" (CPython: about 1x).
 *
 * So this program runs what the course's listings run — threads started, switched (a 1 ms switch
 * interval) and joined, locks, a queue, a pool, time's clocks, print, builtins of each calling
 * convention, methods, iteration of each kind, comparisons and arithmetic across types,
 * exceptions — until the optimised code has seen them all and stopped changing. Its witness is a
 * dict probe (shared_vs_own.py's update) timed in a thread of its own: each thread is a fresh
 * eval-loop call, which gets the newest code. Only executing Python triggers the compile (an idle
 * wait does not), and no API says which code a function runs: the probe is the only witness.
 */

/**
 * The warm-up program: runs about `seconds`, printing one `probe <ms>` line per probe. `round`
 * (the how-many-th run of it this is) picks call targets earlier runs have not used.
 */
export function warmUpProgram(seconds: number, round = 0): string {
  return `${WARM_UP_SOURCE}\nwarm_up(${seconds.toFixed(3)}, ${Math.max(0, Math.floor(round))})\n`;
}

/** The probes' times, ms, in a chunk of the warm-up program's output. */
export function probesIn(text: string): number[] {
  return [...text.matchAll(/^probe ([0-9.]+)$/gm)].map((m) => Number(m[1]));
}

const WARM_UP_SOURCE = String.raw`
import array
import collections
import datetime
import itertools
import math
import operator
import queue
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# Builtins and iterators few programs have called yet: new targets at the eval loop's call and
# iteration sites, called from frames already running optimised code. Each such call makes that
# code deopt, and after 10 deopts of one function the engine compiles it without speculation
# (V8's wasm_deopts_per_function_limit): code that no program can throw away any more.
CALLABLES = [
    getattr(m, n)
    for m in (math, operator)
    for n in sorted(dir(m))
    if not n.startswith("_") and callable(getattr(m, n))
]
ITERABLES = [
    lambda: itertools.count(), lambda: itertools.cycle("ab"), lambda: itertools.repeat(1),
    lambda: itertools.chain([1], [2]), lambda: itertools.islice(range(9), 3),
    lambda: itertools.accumulate([1, 2]), lambda: itertools.product("ab"),
    lambda: itertools.permutations("ab"), lambda: itertools.combinations("abc", 2),
    lambda: itertools.groupby("aab"), lambda: itertools.starmap(pow, [(2, 3)]),
    lambda: itertools.takewhile(bool, [1, 0]), lambda: itertools.dropwhile(bool, [1, 0]),
    lambda: itertools.compress("ab", [1, 1]), lambda: itertools.pairwise("abc"),
    lambda: itertools.zip_longest("a", "bc"), lambda: itertools.filterfalse(None, [0, 1]),
    lambda: collections.deque([1, 2]), lambda: reversed(collections.deque([1])),
    lambda: array.array("i", [1, 2]), lambda: memoryview(b"ab"), lambda: bytearray(b"ab"),
    lambda: frozenset("ab"), lambda: reversed({1: 2}), lambda: reversed({1: 2}.keys()),
    lambda: collections.OrderedDict(a=1), lambda: range(2**70, 2**70 + 2),
    lambda: {1: 2}.items(), lambda: iter(int, 1), lambda: "ab".splitlines(),
]


OBJECTS = [
    1, 1.5, 2j, "s", b"b", (1,), [1], {1: 2}, {1}, frozenset([1]), range(3), bytearray(b"x"),
    memoryview(b"x"), array.array("i", [1]), collections.deque([1]),
    collections.OrderedDict(a=1), collections.Counter("ab"), datetime.timedelta(1),
    datetime.date(2020, 1, 1), slice(1), True, 2**70, {1: 2}.keys(),
]
OPERATIONS = [
    lambda o: o + o, lambda o: o < o, lambda o: o == o, lambda o: hash(o), lambda o: o[0],
    lambda o: len(o), lambda o: repr(o), lambda o: -o, lambda o: o * 2, lambda o: o - o,
    lambda o: o in o, lambda o: o & o, lambda o: abs(o), lambda o: o.__class__,
]


def fresh(k):
    f = CALLABLES[k % len(CALLABLES)]
    try:
        f(0.5)
    except Exception:
        pass
    try:
        f(3, 2)
    except Exception:
        pass
    for it in (ITERABLES[k % len(ITERABLES)], ITERABLES[(k * 7 + 3) % len(ITERABLES)]):
        for _ in it():
            break
    o = OBJECTS[k % len(OBJECTS)]
    for op in OPERATIONS:
        try:
            op(o)
        except Exception:
            pass


def probe(n):
    counts = {}
    for i in range(n):
        key = i & 63
        counts[key] = counts.get(key, 0) + 1
    return len(counts)


def count(n):
    while n > 0:
        n -= 1


class Box:
    def __init__(self, value):
        self.value = value

    def bump(self, by):
        self.value += by
        return self.value

    def __add__(self, other):
        return Box(self.value + getattr(other, "value", other))

    def __lt__(self, other):
        return self.value < other.value

    def __eq__(self, other):
        return isinstance(other, Box) and self.value == other.value

    def __hash__(self):
        return hash(self.value)

    def __iter__(self):
        yield self.value


def numbers(n):
    for i in range(n):
        yield i


def calls(n):
    box, items, s, d, total = Box(0), [], set(), {}, 0.0
    lock = threading.Lock()
    for i in range(n):
        box.bump(i)
        items.append(i & 7)
        total += i * 0.5
        d[i & 15] = d.get(i & 15, 0) + 1
        s.add(i & 31)
        with lock:
            pass
    vals = [
        len(items), abs(-n), ord("a"), chr(65), hash("x"), id(box), repr(n), str(n), int("7"),
        float("1.5"), min(1, 2), max(items), isinstance(box, Box), getattr(box, "value"),
        divmod(n, 3), pow(2, 5), round(total), sorted(items), sum(items), any(items), all(items),
        hasattr(box, "x"), bool(n), tuple(items), list(s), time.perf_counter(), time.monotonic(),
        time.time(), time.process_time(), time.perf_counter_ns(), threading.get_ident(),
        threading.current_thread().name, "-".join(["a", "b"]), "a b".split(), "x".upper(),
        "%d" % n, f"{n}: {total:.1f}", b"ab".hex(), bytes(3), bytearray(2), list(d.items()),
        list(d.keys()), list(d.values()), d.pop(0, None), d.setdefault(1, 0), items.pop(),
        dict(a=1), frozenset(items), range(3), slice(1, 2), complex(1, 2), Box(1) + 2,
        Box(1) < Box(2), Box(1) == Box(1), [x * 2 for x in items], {k: v for k, v in d.items()},
    ]
    for it in (items, tuple(items), s, d, d.items(), d.values(), "abc", b"ab", range(5),
               enumerate(items), zip(items, items), map(abs, items), filter(None, items),
               reversed(items), numbers(5), iter(box), (x for x in items), sorted(s)):
        for _ in it:
            pass
    for a, b in ((1, 2), (1.5, 2.5), ("a", "b"), ((1,), (2,)), ([1], [2]), (1, 2.5), (2**70, 3)):
        vals += [a < b, a == b, a + b, a * 2]
    for k in range(3):
        try:
            [][k]
        except IndexError:
            pass
        try:
            {}[k]
        except KeyError:
            pass
    return len(vals)


def work(q, gate, k):
    gate.wait()  # every frame has started (on the same code) before any calls a new target
    fresh(k)
    calls(150)
    count(20_000)
    probe(2_000)
    q.put(1)
    time.sleep(0)


def timed_probe(out):
    start = time.perf_counter()
    probe(5_000)
    out.append(time.perf_counter() - start)


def warm_up(seconds, round):
    sys.setswitchinterval(0.001)  # many switches: the switching paths get hot too
    end = time.perf_counter() + seconds
    q = queue.Queue()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(abs, range(8)))
    k = round * 37
    while True:
        # Eight frames started on the same code, all waiting at the gate, then each calling new
        # targets: eight deopts of that code at once, if it speculated on them.
        gate = threading.Barrier(9)
        workers = [threading.Thread(target=work, args=(q, gate, k + i)) for i in range(8)]
        k += 8
        for w in workers:
            w.start()
        gate.wait()
        for w in workers:
            w.join()
        while not q.empty():
            q.get()
        out = []
        t = threading.Thread(target=timed_probe, args=(out,))
        t.start()
        t.join()
        print(f"probe {out[0] * 1000:.3f}")
        if time.perf_counter() >= end:
            break
`;
