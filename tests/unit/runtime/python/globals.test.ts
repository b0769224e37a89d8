/**
 * Module globals: a thread's interpreter imports only the module's definitions, so start() and
 * submit() send a copy of the caller's globals; a thread sees main's globals as of start(). What
 * a thread changes stays in its interpreter, and a "GIL Lab warning" says so (globals, object
 * attributes, deques, large lists, a bound method's object). The reviewer's cases, one by one.
 */
import { describe, expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

const { run } = pythonSuite();

const LOST = 'the main program will not see that change';

describe('a thread sees the program’s globals as of start()', () => {
  it('data built by a module-level loop, random data, get_ident() and __main__ rebinding', async () => {
    const { result, stdout, stderr } = await run(`
import random, threading
from concurrent.futures import ThreadPoolExecutor
data = []
for i in range(10):
    data.append(i)
nums = [random.randint(1, 100) for _ in range(1000)]
main_id = threading.get_ident()
N = 1
def total(): return sum(data)
def nsum(): return sum(nums)
def who(): return main_id
def getn(): return N
if __name__ == "__main__":
    N = 99
    with ThreadPoolExecutor(2) as ex:
        print("data", ex.submit(total).result())
        print("nums", ex.submit(nsum).result() == sum(nums), ex.submit(nsum).result() == sum(nums))
        print("main_id", ex.submit(who).result() == main_id)
        print("N", ex.submit(getn).result())
    t = threading.Thread(target=print, args=("thread N", N))
    t.start()
    t.join()
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('data 45\n');
    expect(stdout).toContain('nums True True\n');
    expect(stdout).toContain('main_id True\n');
    expect(stdout).toContain('N 99\n');
    expect(stdout).toContain('thread N 99\n');
    expect(stderr).toBe('');
  });

  it('an object attribute set by main before start() reaches the thread', async () => {
    const { result, stdout } = await run(`
import threading
class Box:
    def __init__(self):
        self.value = 0
box = Box()
def show():
    print("box", box.value)
if __name__ == "__main__":
    box.value = 42
    t = threading.Thread(target=show)
    t.start()
    t.join()
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('box 42\n');
  });

  it('names a global that cannot be copied, once', async () => {
    const { result, stderr } = await run(`
import threading
gen = (i for i in range(3))
def f():
    pass
for _ in range(2):
    t = threading.Thread(target=f)
    t.start()
    t.join()
`);
    expect(result.error).toBeNull();
    expect(stderr).toContain(
      "GIL Lab warning: each thread here runs in its own interpreter, which gets a copy of the program's globals when it starts, but not of 'gen': it cannot be pickled",
    );
    expect(stderr.match(/'gen'/g)).toHaveLength(1);
  });

  it('names a global whose class is defined under the __main__ guard', async () => {
    const { result, stderr } = await run(`
import threading
def f():
    pass
if __name__ == "__main__":
    class Inner:
        pass
    obj = Inner()
    t = threading.Thread(target=f)
    t.start()
    t.join()
`);
    expect(result.error).toBeNull();
    expect(stderr).toContain("did not get a copy of the global 'obj'");
    expect(stderr).toContain('outside `if __name__ == "__main__":`');
  });

  it('a process imports the module afresh (no copy), as with spawn', async () => {
    const { result, stdout } = await run(`
from concurrent.futures import ProcessPoolExecutor
N = 1
def getn():
    return N
if __name__ == "__main__":
    N = 99
    with ProcessPoolExecutor(1) as ex:
        print("N", ex.submit(getn).result())
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('N 1\n');
  });
});

describe('changes a thread makes are reported, not lost silently', () => {
  it('object attributes, a deque, a list over 100,000 items, a bound method’s object', async () => {
    const { result, stdout, stderr } = await run(`
import collections, threading
from concurrent.futures import ThreadPoolExecutor
class Box:
    def __init__(self):
        self.value = 0
box = Box()
dq = collections.deque()
big = list(range(200_000))
def setbox(): box.value = 7
def push(): dq.append(1)
def touch(): big[5] = -1
class Worker:
    def __init__(self):
        self.total = 0
    def run(self):
        self.total += 5
with ThreadPoolExecutor(1) as ex:
    for fn in (setbox, push, touch):
        ex.submit(fn).result()
w = Worker()
t = threading.Thread(target=w.run)
t.start()
t.join()
print(box.value, len(dq), big[5], w.total)
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('0 0 5 0\n');
    expect(stderr).toContain(`the task 'setbox' changed the global 'box', but`);
    expect(stderr).toContain(`the task 'push' changed the global 'dq', but`);
    expect(stderr).toContain(`the task 'touch' changed the global 'big', but`);
    expect(stderr).toContain('Thread-1 (run) changed the object its target method belongs to');
    expect(stderr.split(LOST)).toHaveLength(5);
  });
});
