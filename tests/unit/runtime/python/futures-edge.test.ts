/**
 * Reviewer cases around futures and threads: timeouts behave as in CPython, a target defined
 * under `if __name__ == "__main__":` fails with a message naming the limit, pool threads carry
 * CPython's names, an exception that cannot be re-created still reaches result(), and tracebacks
 * show the reader's frames only. Node worker_threads, offline; interpreters booted once.
 */
import { describe, expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

const { run } = pythonSuite();

const NAP = `
import threading, time
from concurrent.futures import ThreadPoolExecutor, wait, as_completed
import concurrent.futures

def nap(s):
    time.sleep(s)
    return s
`;

describe('timeouts (as in CPython)', () => {
  it('join(timeout) returns with the thread still alive', async () => {
    const { result, stdout } = await run(`${NAP}
t = threading.Thread(target=nap, args=(0.6,))
t.start()
t.join(timeout=0.1)
print("alive", t.is_alive())
t.join()
print("alive", t.is_alive())
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('alive True\nalive False\n');
  });

  it('result(timeout) raises TimeoutError (concurrent.futures.TimeoutError is builtins.TimeoutError)', async () => {
    const { result, stdout } = await run(`${NAP}
with ThreadPoolExecutor(1) as ex:
    f = ex.submit(nap, 0.6)
    try:
        f.result(timeout=0.1)
    except concurrent.futures.TimeoutError as e:
        print("timeout", type(e) is TimeoutError)
    print("then", f.result())
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('timeout True\nthen 0.6\n');
  });

  it('wait(fs, timeout) returns (done, not_done)', async () => {
    const { result, stdout } = await run(`${NAP}
with ThreadPoolExecutor(2) as ex:
    fs = [ex.submit(nap, 0.01), ex.submit(nap, 0.6)]
    done, not_done = wait(fs, timeout=0.3)
    print(len(done), len(not_done), [f.result() for f in done])
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('1 1 [0.01]\n');
  });

  it('as_completed(fs, timeout) and map(..., timeout) raise TimeoutError', async () => {
    const { result, stdout } = await run(`${NAP}
with ThreadPoolExecutor(2) as ex:
    fs = [ex.submit(nap, 0.6)]
    try:
        for f in as_completed(fs, timeout=0.1):
            print("early", f.result())
    except TimeoutError as e:
        print("as_completed:", e)
    try:
        print(list(ex.map(nap, [0.6, 0.6], timeout=0.1)))
    except TimeoutError:
        print("map: TimeoutError")
print("end")
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('as_completed: 1 (of 1) futures unfinished\nmap: TimeoutError\nend\n');
  });
});

describe('a target defined under the __main__ guard', () => {
  it('a Thread prints a clear error naming the limit, as CPython prints one in a thread', async () => {
    const { result, out, stdout } = await run(`import threading
if __name__ == "__main__":
    def work():
        print("working")
    t = threading.Thread(target=work)
    t.start()
    t.join()
    print("joined")
`);
    expect(result.ok).toBe(true);
    expect(stdout).toBe('joined\n');
    const thread = out.filter((o) => o.label !== 'MainThread' && o.stream === 'stderr');
    const text = thread.map((o) => o.text).join('');
    expect(text).toContain('Exception in thread Thread-1 (work):\nRuntimeError: GIL Lab:');
    expect(text).toContain("has no attribute 'work'");
    expect(text).toContain('must be defined at module level, outside that block');
  });

  it('a pool task raises the same message from result()', async () => {
    const { result } = await run(`from concurrent.futures import ThreadPoolExecutor
if __name__ == "__main__":
    def work():
        return 1
    with ThreadPoolExecutor(2) as ex:
        print(ex.submit(work).result())
`);
    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toContain("GIL Lab: the task 'work' cannot run here");
    expect(result.error?.message).toContain('outside that block');
    expect(result.error?.traceback).not.toContain('gil_lab_shim');
  });
});

describe('pool threads and errors', () => {
  it('current_thread().name in a pool task is ThreadPoolExecutor-N_M or prefix_M', async () => {
    const { result, stdout } = await run(`import threading
from concurrent.futures import ThreadPoolExecutor
def name():
    return threading.current_thread().name
with ThreadPoolExecutor(2) as ex:
    print(ex.submit(name).result())
with ThreadPoolExecutor(2, thread_name_prefix="w") as ex:
    print(ex.submit(name).result())
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe('ThreadPoolExecutor-0_0\nw_0\n');
  });

  it('an exception whose __init__ needs two arguments reaches result() as a stand-in', async () => {
    const { result } = await run(`from concurrent.futures import ThreadPoolExecutor
class MyErr(Exception):
    def __init__(self, code, why):
        super().__init__(f"{code}: {why}")
def bad():
    raise MyErr(3, "nope")   # line 6
with ThreadPoolExecutor(2) as ex:
    ex.submit(bad).result()
`);
    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toMatch(/^MyErr: 3: nope\n/);
    expect(result.error?.message).toContain('could not be re-created');
    expect(result.error?.traceback).toMatch(/line 6, in bad/);
    expect(result.error?.traceback).not.toContain('gil_lab_shim');
  });
});

describe('what the reader sees of an ending program', () => {
  it('sys.exit(3) prints nothing; sys.exit("bye") prints bye', async () => {
    const three = await run('import sys\nprint("x")\nsys.exit(3)\n');
    expect(three.stdout).toBe('x\n');
    expect(three.stderr).toBe('');
    expect(three.result.error?.type).toBe('SystemExit');
    const bye = await run('import sys\nsys.exit("bye")\n');
    expect(bye.stderr).toBe('bye\n');
  });

  it('a SyntaxError shows no shim frame', async () => {
    const { result, stderr } = await run('print("a"\n');
    expect(result.error?.type).toBe('SyntaxError');
    expect(stderr).toMatch(/^ {2}File "main\.py", line 1\n/);
    expect(stderr).not.toContain('gil_lab_shim');
    expect(stderr).not.toContain('Traceback');
  });

  it('an exception re-raised by result() shows no shim frame', async () => {
    const { result } = await run(`from concurrent.futures import ThreadPoolExecutor
def parse(text):
    return int(text)
with ThreadPoolExecutor() as pool:
    pool.submit(parse, "x").result()
`);
    expect(result.error?.type).toBe('ValueError');
    expect(result.error?.traceback).toMatch(/line 3, in parse/);
    expect(result.error?.traceback).not.toContain('gil_lab_shim');
  });
});

describe('process pools', () => {
  it('ProcessPoolExecutor.map(chunksize=n) sends batches, as CPython does (python3 prints the same)', async () => {
    // Ignoring chunksize sent 20,000 tasks one by one whatever the reader asked for, so
    // chunksize.py showed no gain from batching, against the lesson.
    const { result, stdout } = await run(`from concurrent.futures import ProcessPoolExecutor

calls = 0


def square(x):
    return x * x


def tagged(x):
    global calls
    calls += 1
    return calls


def boom(x):
    if x == 7:
        raise ValueError(f"bad {x}")
    return x


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(list(pool.map(square, range(10), chunksize=3)))
        print(list(pool.map(pow, [2, 3], [5, 2], chunksize=5)))
        try:
            pool.map(square, [1], chunksize=0)
        except ValueError as e:
            print("ValueError:", e)
        got = []
        try:
            for v in pool.map(boom, range(10), chunksize=4):
                got.append(v)
        except ValueError as e:
            print("got", got, "then", e)
        t = list(pool.map(tagged, range(6), chunksize=3))
        print("batched:", all(t[i + 1] == t[i] + 1 for i in (0, 1, 3, 4)))
`);
    expect(result.error).toBeNull();
    expect(stdout).toBe(
      '[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n[32, 9]\nValueError: chunksize must be >= 1.\n' +
        'got [0, 1, 2, 3] then bad 7\nbatched: True\n',
    );
  });
});
