/**
 * Real Python programs through the runner: concurrent.futures, processes, tracebacks, and the
 * honest limits (clear messages instead of hangs or wrong answers). Node worker_threads, offline;
 * interpreters are booted once for the file (at most 4, to exercise the interpreter limit).
 */
import { describe, expect, it } from 'vitest';
import { MAX_INTERPRETERS } from '../../../../src/runtime/python/index.ts';
import { pythonSuite } from './suite.ts';

const { run } = pythonSuite({ maxInterpreters: 4, prewarm: 4 });

describe('concurrent.futures', () => {
  it('ThreadPoolExecutor.map returns results in input order', async () => {
    const { result, stdout } = await run(`
from concurrent.futures import ThreadPoolExecutor
import time

def slow_square(x):
    time.sleep(0.05 * (5 - x))   # later inputs finish first
    return x * x

with ThreadPoolExecutor(max_workers=3) as pool:
    print(list(pool.map(slow_square, range(5))))
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('[0, 1, 4, 9, 16]');
    expect(result.interpreters).toBe(4);
  });

  it('as_completed yields futures in the order they finish; wait() splits done and not done', async () => {
    // The order is made by the program, not by sleeps: tasks wait on locks main holds (a
    // module-level Lock is shared between the interpreters). Sleeps of 0.3, 0.1 and 0.2 s came
    // out as [0.1, 0.3, 0.2] and [0.2, 0.1, 0.3] beside 16 busy loops (load 35). Futures that
    // finish while the loop body runs come back in finishing order, as in CPython (they came
    // back in the set's order: ['first', 'third', 'second']). python3 prints the same lines.
    const { result, stdout } = await run(`
from concurrent.futures import ThreadPoolExecutor, as_completed, wait, FIRST_COMPLETED
import threading, time

# Locks the main program holds: a task that takes one finishes only once main lets it.
gates = [threading.Lock() for _ in range(3)]
for gate in gates:
    gate.acquire()

def task(name, gate=None):
    if gate is not None:
        with gates[gate]:
            pass
    return name

def until_done(f):
    while not f.done():
        time.sleep(0.001)

with ThreadPoolExecutor(max_workers=3) as pool:
    third = pool.submit(task, "third", 1)
    second = pool.submit(task, "second", 0)
    first = pool.submit(task, "first")
    order = []
    for f in as_completed([third, second, first]):
        order.append(f.result())
        if f is first:
            # While this loop is busy, "second" finishes, then "third".
            gates[0].release()
            until_done(second)
            gates[1].release()
            until_done(third)
    print("order", order)
    done, not_done = wait([pool.submit(task, "quick"), pool.submit(task, "held", 2)], return_when=FIRST_COMPLETED)
    print("first", [f.result() for f in done], len(not_done))
    gates[2].release()
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain("order ['first', 'second', 'third']");
    expect(stdout).toContain("first ['quick'] 1");
  });

  it('ProcessPoolExecutor pickles arguments and results; each process has its own GIL', async () => {
    const { result, stdout } = await run(`
from concurrent.futures import ProcessPoolExecutor
import os

def describe(point, scale=1):
    x, y = point
    return {"sum": (x + y) * scale, "pid": os.getpid()}

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(pool.submit(describe, (2, 3), scale=10).result()["sum"])
        print([r["sum"] for r in pool.map(describe, [(1, 1), (2, 2), (3, 3)])])
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('50\n[2, 4, 6]');
    const processes = result.timeline.lanes.filter((l) => l.kind === 'process');
    expect(processes.length).toBeGreaterThan(0);
    const locks = new Set(result.timeline.lanes.map((l) => l.lock));
    expect(locks.size).toBe(1 + processes.length);
  });
});

describe('tracebacks', () => {
  it('an exception in a worker thread reaches result() with its type and line', async () => {
    const { result, stderr } = await run(`from concurrent.futures import ThreadPoolExecutor

def parse(text):
    return int(text)   # line 4

with ThreadPoolExecutor() as pool:
    future = pool.submit(parse, "forty-two")
    print(future.result())
`);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('ValueError');
    expect(result.error?.message).toContain("invalid literal for int() with base 10: 'forty-two'");
    expect(result.error?.traceback).toMatch(/File "main\.py", line 4, in parse/);
    expect(result.error?.traceback).toMatch(/File "main\.py", line 8, in <module>/);
    expect(stderr).toContain('ValueError');
  });

  it('an exception in a threading.Thread prints "Exception in thread" and join() returns', async () => {
    const { result, out } = await run(`import threading

def boom():
    raise KeyError("missing")

t = threading.Thread(target=boom)
t.start()
t.join()
print("joined")
`);
    expect(result.ok).toBe(true);
    const thread = out.filter((o) => o.label !== 'MainThread' && o.stream === 'stderr');
    const text = thread.map((o) => o.text).join('');
    expect(text).toContain('Exception in thread Thread-1 (boom):');
    expect(text).toMatch(/line 4, in boom/);
    expect(text).toContain("KeyError: 'missing'");
    expect(out.map((o) => o.text).join('')).toContain('joined');
  });
});

describe('honest limits', () => {
  it('refuses a thread beyond the interpreter limit with a clear message', async () => {
    expect(MAX_INTERPRETERS).toBe(8);
    const { result } = await run(`
import threading, time
threads = [threading.Thread(target=time.sleep, args=(0.3,)) for _ in range(4)]
for t in threads:
    t.start()
`);
    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toContain('GIL Lab runs at most 4 interpreters at once');
  });

  it('import socket and import numpy fail fast, naming the limit', async () => {
    const socket = await run('import socket');
    expect(socket.result.error?.type).toBe('ModuleNotFoundError');
    expect(socket.result.error?.message).toBe(
      'GIL Lab: sockets are not available in the browser (import socket)',
    );
    const numpy = await run('import numpy as np');
    expect(numpy.result.error?.message).toContain('GIL Lab: numpy is not available here');
  });

  it('warns when a thread rebinds a module global the main program will not see', async () => {
    const { result, stdout, stderr } = await run(`
import threading

counter = 0

def add():
    global counter
    counter += 1

t = threading.Thread(target=add)
t.start()
t.join()
print("counter", counter)
`);
    expect(result.ok).toBe(true);
    expect(stdout).toContain('counter 0');
    expect(stderr).toContain("GIL Lab warning: Thread-1 (add) changed the global 'counter'");
    expect(stderr).toContain('the main program will not see that change');
  });

  it('threading.Event and queue.Queue say they are not shared, instead of hanging', async () => {
    const { result } = await run('import queue\nq = queue.Queue()');
    expect(result.error?.type).toBe('NotImplementedError');
    expect(result.error?.message).toContain('GIL Lab: queue.Queue is not supported');
  });
});

describe('more of threading', () => {
  it('copies attributes a Thread subclass sets in run() back at join()', async () => {
    const { result, stdout } = await run(`
import threading

class Summer(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def run(self):
        self.total = sum(range(self.n))

t = Summer(10)
t.start()
t.join()
print("total", t.total, t.name)
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('total 45 Thread-1');
  });

  it('sys.setswitchinterval changes the shared interval; large hashes run as native code', async () => {
    const { result, stdout } = await run(`
import sys, hashlib
sys.setswitchinterval(0.001)
print(sys.getswitchinterval())
print(hashlib.sha256(b"x" * 1_000_000).hexdigest()[:12])
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('0.001\n');
    expect(stdout).toContain('1b977e9f84f1');
    expect(result.timeline.lanes[0]!.totalsMs.native).toBeGreaterThan(0);
  });

  it('sys.setswitchinterval refuses 0 like CPython and takes NaN and inf without breaking', async () => {
    const { result, stdout } = await run(`
import sys
try:
    sys.setswitchinterval(0)
except ValueError as e:
    print("refused:", e)
for v in (float("nan"), float("inf")):
    sys.setswitchinterval(v)
    print("long:", sys.getswitchinterval() >= 1000)
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('refused: switch interval must be strictly positive\n');
    expect(stdout).toContain('long: True\nlong: True\n');
  });
});
