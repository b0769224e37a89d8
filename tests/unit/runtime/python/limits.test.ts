/**
 * What a program needs that the browser cannot give (the keyboard, the network, OS processes) is
 * refused with a clear message naming the limit; asyncio runs on the interpreter's own thread,
 * with real waits, and nothing of one run shows up in another. Node worker_threads, offline.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

const { run } = pythonSuite({ maxInterpreters: 4, prewarm: 4, cpuCount: 3 });

describe('refused clearly, never a hang or an obscure error', () => {
  it('input() and sys.stdin say the program cannot read from the keyboard', async () => {
    const { result, stdout, stderr } = await run(`
import sys
try:
    sys.stdin.readline()
except EOFError as e:
    print("stdin:", e)
name = input("Your name? ")
`);
    expect(stdout).toContain('stdin: GIL Lab: input() is not available here');
    expect(result.error?.type).toBe('EOFError');
    expect(result.error?.message).toBe(
      'GIL Lab: input() is not available here: GIL Lab programs cannot read from the keyboard; ' +
        'put the value in the code',
    );
    expect(stderr).toContain('line 7, in <module>');
  });

  it('urllib.request and http.client say network access is not available', async () => {
    const { result, stdout } = await run(`
import http.client, urllib.request, urllib.error
try:
    http.client.HTTPConnection("example.com").request("GET", "/")
except ConnectionError as e:
    print("http.client:", type(e).__name__, e)
try:
    urllib.request.urlopen("http://example.com/")
except urllib.error.URLError as e:
    print("urllib:", e)
`);
    expect(result.error).toBeNull();
    expect(stdout).toMatch(
      /http\.client: NetworkUnavailable GIL Lab: network access is not available/,
    );
    expect(stdout).toMatch(/urllib: .*network access is not available in GIL Lab's Python/);
    expect(stdout).not.toContain('RemoteDisconnected');
  });

  it('multiprocessing.Pool and Process point at ProcessPoolExecutor', async () => {
    const { result, stdout } = await run(`
import multiprocessing
from multiprocessing import Pool, Process

def work(x):
    return x

if __name__ == "__main__":
    for make in (lambda: Pool(2), lambda: Process(target=work, args=(1,)).start(),
                 lambda: multiprocessing.get_context("spawn").Pool(2)):
        try:
            make()
        except NotImplementedError as e:
            print("refused:", e)
    print("cpus:", multiprocessing.cpu_count() > 0)
`);
    expect(result.error).toBeNull();
    const refusals = stdout.split('\n').filter((l) => l.startsWith('refused:'));
    expect(refusals).toHaveLength(3);
    for (const line of refusals) {
      expect(line).toContain('concurrent.futures.ProcessPoolExecutor, which is supported');
      expect(line).not.toContain("No module named '_multiprocessing'");
    }
    expect(refusals[1]).toContain('multiprocessing.Process');
    expect(stdout).toContain('cpus: True');
  });

  it('os.cpu_count() is the page’s core count, not Emscripten’s 1, beside a process pool', async () => {
    // A pool program runs one interpreter per thread; its defaults and what it prints about the
    // machine must agree with the pools it starts (switch_executor.py printed "1 processes").
    const { result, stdout } = await run(`
import multiprocessing, os
from concurrent.futures import ProcessPoolExecutor
print(os.cpu_count(), os.process_cpu_count(), multiprocessing.cpu_count())
with ProcessPoolExecutor() as pool:
    print("workers:", pool._max_workers)
`);
    expect(result.error).toBeNull();
    expect(stdout).toContain('3 3 3\nworkers: 3');
  });
});

describe('asyncio on the interpreter’s own thread', () => {
  it('asyncio.run: gather of 100 sleeps of 0.1 s overlaps on one thread, in order', async () => {
    const { result, stdout, stderr } = await run(`
import asyncio, threading, time

async def nap(i):
    await asyncio.sleep(0.1)
    return i

async def main():
    print("hello async")
    t0 = time.perf_counter()
    done = await asyncio.gather(*(nap(i) for i in range(100)))
    took = time.perf_counter() - t0
    print("done", done == list(range(100)), "overlapped", took < 5.0, "waited", took >= 0.09)
    print("threads", threading.active_count())
    return "result"

print("before")
print("returned", asyncio.run(main()))
print("after")
`);
    expect(stderr).toBe('');
    expect(result.error).toBeNull();
    expect(stdout).toBe(
      'before\nhello async\ndone True overlapped True waited True\nthreads 1\nreturned result\nafter\n',
    );
  });

  it('asyncio.to_thread and run_in_executor run in other interpreters while the loop ticks', async () => {
    const { result, stdout, stderr } = await run(`
import asyncio, time
from concurrent.futures import ThreadPoolExecutor

def blocking(x, scale=1):
    time.sleep(0.3)
    return x * scale

async def ticker(ticks):
    for _ in range(5):
        ticks.append(1)
        await asyncio.sleep(0.05)

async def main():
    ticks = []
    t = asyncio.create_task(ticker(ticks))
    await asyncio.sleep(0)
    print("to_thread", await asyncio.to_thread(blocking, 7, scale=6))
    print("ticked meanwhile", len(ticks) >= 3)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2) as pool:
        print("executor", await asyncio.gather(*(loop.run_in_executor(pool, blocking, i) for i in range(2))))
    await t

asyncio.run(main())
`);
    expect(stderr).toBe('');
    expect(result.error).toBeNull();
    expect(stdout).toBe('to_thread 42\nticked meanwhile True\nexecutor [0, 1]\n');
  });

  it.each(['many_waits', 'blocking_call'])(
    'lesson 7’s %s.py runs and prints what its CPython run prints',
    async (name) => {
      const dir = new URL('../../../../examples/python/asyncio/', import.meta.url);
      const source = readFileSync(new URL(`${name}.py`, dir), 'utf8');
      const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as {
        stdoutPatterns: string[];
      };
      const { result, stdout, stderr } = await run(source);
      expect(stderr).toBe('');
      expect(result.error).toBeNull();
      const lines = stdout.trimEnd().split('\n');
      for (const pattern of expected.stdoutPatterns)
        expect(
          lines.some((l) => new RegExp(pattern).test(l)),
          pattern,
        ).toBe(true);
    },
  );

  it('a loop with nothing to wait for says so instead of hanging', async () => {
    const { result } = await run(`
import asyncio

async def main():
    await asyncio.Event().wait()

asyncio.run(main())
`);
    expect(result.error?.type).toBe('RuntimeError');
    expect(result.error?.message).toContain('the event loop has nothing to wait for');
  });

  it('nothing of a failed asyncio run shows up in a later run', async () => {
    const first = await run(`
import asyncio

async def late():
    await asyncio.sleep(0.2)
    print("LEAKED from the first run")

async def main():
    asyncio.get_running_loop().create_task(late())
    await asyncio.sleep(0)
    raise ValueError("first run fails")

asyncio.run(main())
`);
    expect(first.result.error?.type).toBe('ValueError');
    await new Promise((r) => setTimeout(r, 400));
    const second = await run(`import time\ntime.sleep(0.4)\nprint("second run")`);
    expect(second.result.error).toBeNull();
    expect(first.stdout + second.stdout + second.stderr).not.toContain('LEAKED');
    expect(second.stdout).toBe('second run\n');
  });
});
