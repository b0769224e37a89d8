/**
 * A hostile program never breaks the next run: an interpreter it killed, corrupted or changed is
 * discarded or restored, so every run starts as `python3 file.py` would. Node worker_threads.
 * The same tests run against both GIL-mode engines (hostile.test.ts: one interpreter per thread;
 * green/hostile.test.ts: every thread in one interpreter).
 */
import { describe, expect, it } from 'vitest';
import { pythonSuite, type SuiteOptions } from './suite.ts';

export function hostileProgramTests(engine: NonNullable<SuiteOptions['gilEngine']>): void {
  const { run, runner } = pythonSuite({
    gilEngine: engine,
    maxInterpreters: 3,
    prewarm: 1,
    memoryLimitBytes: 256 * 1024 * 1024,
  });

  const LESSON = `
import time, builtins
t0 = time.perf_counter()
s = sum(i for i in range(10000))
dt = time.perf_counter() - t0
print("ok", s, 1 / max(dt, 1e-9) > 0, builtins.print.__module__)
`;

  async function nextRunWorks(): Promise<void> {
    const after = await run(LESSON);
    expect(after.result.error).toBeNull();
    expect(after.stdout).toBe('ok 49995000 True builtins\n');
  }

  describe('a run that kills or corrupts its interpreter', () => {
    it('os._exit(1) in the main program: the run ends, the next run works', async () => {
      const { result } = await run('import os\nprint("bye", flush=True)\nos._exit(1)\n');
      expect(result.error?.type).toBe('InterpreterExited');
      expect(result.error?.message).toContain('The next run gets a fresh one');
      await nextRunWorks();
    });

    // One interpreter per thread is also the engine of free-threaded mode.
    const modes =
      engine === 'interpreter-per-thread'
        ? (['gil', 'free-threaded'] as const)
        : (['gil'] as const);
    for (const mode of modes)
      it(`os._exit(1) in a thread (${mode}) ends the whole program at once, as in CPython; the next run works`, async () => {
        const { result, stdout } = await run(
          `
import os, threading, time
def die():
    print("bye", flush=True)
    os._exit(1)
t = threading.Thread(target=die)
t.start(); t.join()
time.sleep(0.3)
print("main went on")
`,
          { mode },
        );
        expect(stdout).toBe('bye\n');
        expect(result.stopped).toBe(false);
        expect(result.error?.type).toBe('InterpreterExited');
        await nextRunWorks();
      });

    if (engine === 'interpreter-per-thread')
      it('os._exit(1) in a process pool task breaks that pool, as in CPython (BrokenProcessPool); the next run works', async () => {
        // Before: RuntimeError("The program ended its Python interpreter …"), and a later task
        // of the pool went to the dead interpreter ("can no longer run Python").
        const { result, stdout } = await run(
          `
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

def die():
    os._exit(1)

def square(x):
    return x * x

if __name__ == "__main__":
    pool = ProcessPoolExecutor(max_workers=1)
    fs = [pool.submit(die), pool.submit(square, 2)]  # the second waits in the queue
    for f in fs:
        try:
            f.result()
        except BrokenProcessPool as e:
            print(type(e).__module__, "|", e)
    try:
        pool.submit(square, 3)
    except BrokenProcessPool as e:
        print("submit |", e)
    pool.shutdown()
    fs[0].result()
`,
          { mode: 'free-threaded' },
        );
        const terminated =
          'concurrent.futures.process | A process in the process pool was terminated abruptly while the future was running or pending.';
        expect(stdout).toBe(
          `${terminated}\n${terminated}\nsubmit | A child process terminated abruptly, the process pool is not usable anymore\n`,
        );
        expect(result.error?.type).toBe('BrokenProcessPool');
        expect(result.error?.traceback).toContain('concurrent.futures.process.BrokenProcessPool');
        await nextRunWorks();
      });

    it('os._exit(1) in main while a thread runs ends the thread too', async () => {
      // main waits until the thread runs (a Lock the thread releases), then ends the program.
      const { result, stdout } = await run(`
import os, threading, time
running = threading.Lock()
running.acquire()
def spin():
    running.release()
    while True:
        print("still here", flush=True)
        time.sleep(0.05)
threading.Thread(target=spin).start()
running.acquire()
os._exit(1)
`);
      // Before, the run waited for the thread, which never ends (the test timed out).
      expect(result.error?.type).toBe('InterpreterExited');
      expect(stdout.split('\n').filter(Boolean).length).toBeLessThan(10);
      await nextRunWorks();
    });

    for (const mode of modes)
      it(`deep recursion past a raised recursion limit (${mode}): CPython's RecursionError, and the next run works`, async () => {
        // Before (free-threaded, one interpreter per thread): "The Python interpreter failed
        // (Maximum call stack size exceeded)", the worker's stack overflowed.
        const { result, stderr } = await run(
          `
import sys
sys.setrecursionlimit(10**5)
def f(n): return f(n + 1) + 1
f(0)
`,
          { mode },
        );
        expect(result.error?.type).toBe('RecursionError');
        expect(result.error?.message).toBe('maximum recursion depth exceeded');
        expect(stderr).toMatch(/sys\.setrecursionlimit\(100000\) was lowered to \d+/);
        await nextRunWorks();
      });
  });

  describe('every run starts from a clean interpreter state', () => {
    it('changes to builtins, time and other modules never reach the next run', async () => {
      const { result } = await run(`
import builtins, time, json, sys, os
_print = builtins.print
builtins.print = lambda *a, **k: _print("HACKED", **k)
time.perf_counter = lambda: 0.0
json.dumps = lambda *a, **k: "HACKED"
sys.path.insert(0, "/nowhere")
os.environ["GIL_LAB_TEST"] = "1"
builtins.HACKED = True
`);
      expect(result.error).toBeNull();
      await nextRunWorks();
      const after = await run(`
import json, sys, os, builtins
print(json.dumps([1]), "/nowhere" in sys.path, "GIL_LAB_TEST" in os.environ, hasattr(builtins, "HACKED"))
`);
      expect(after.stdout).toBe('[1] False False False\n');
    });

    it('files a run wrote in /tmp or its working directory are gone in the next run', async () => {
      // More runs than interpreters (at most 3 here), so some interpreter serves two of them.
      for (let i = 0; i < 4; i++) {
        const { stdout } = await run(`
import os
seen = [p for p in ("/tmp/left.txt", "/tmp/made/deep/f", "left-here.txt", "/tmp/made") if os.path.exists(p)]
print(seen)
open("/tmp/left.txt", "w").write("x")
os.makedirs("/tmp/made/deep", exist_ok=True)
open("/tmp/made/deep/f", "w").write("y")
open("left-here.txt", "w").write("z")
`);
        expect(stdout, `run ${i + 1}`).toBe('[]\n');
      }
    });

    it('a module first imported by a hostile run is imported afresh by the next', async () => {
      await run('import fractions\nfractions.Fraction = None\n');
      const after = await run('from fractions import Fraction\nprint(Fraction(1, 2))\n');
      expect(after.stdout).toBe('1/2\n');
    });

    it('class attributes of the standard library are restored', async () => {
      await run('import collections\ncollections.OrderedDict.__repr__ = lambda s: "HACKED"\n');
      const after = await run('import collections\nprint(collections.OrderedDict(a=1))\n');
      expect(after.stdout).toBe("OrderedDict({'a': 1})\n");
    });
  });

  describe('memory', () => {
    it('an interpreter that grew past the limit is discarded after its run', async () => {
      const big = await run('b = bytearray(300 * 1024 * 1024)\nprint(len(b))\n');
      expect(big.stdout).toBe(`${300 * 1024 * 1024}\n`);
      expect(runner.liveWorkers).toBe(0);
      await nextRunWorks();
    });
  });

  describe('the switch-interval option', () => {
    it('is refused as sys.setswitchinterval refuses it (ValueError for <= 0, NaN)', async () => {
      for (const bad of [0, -1, Number.NaN]) {
        const handle = runner.run('print(1)', { switchIntervalMs: bad });
        await expect(handle.result).rejects.toMatchObject({ name: 'ValueError' });
      }
      await expect(runner.run('print(1)', { switchIntervalMs: -1 }).result).rejects.toThrow(
        'switch interval must be strictly positive',
      );
    });

    it('a huge interval is clamped, never negative', async () => {
      const { stdout } = await run('import sys\nprint(sys.getswitchinterval() > 1000)\n', {
        switchIntervalMs: 1e12,
      });
      expect(stdout).toBe('True\n');
    });
  });

  describe('Stop while the first interpreter is still starting', () => {
    it('ends the run at once; the interpreter finishes booting into the warm pool', async () => {
      await runner.dispose();
      const booting = runner.prewarm(1);
      const handle = runner.run('print("never")');
      void handle.stop();
      const first = await Promise.race([
        handle.result.then(() => 'result'),
        booting.then(() => 'booted'),
      ]);
      expect(first).toBe('result');
      const result = await handle.result;
      expect(result.stopped).toBe(true);
      await booting;
      await nextRunWorks();
    });
  });

  describe('what a program reaches through `js`', () => {
    // close() is the browser's (Node's workers have none): the e2e suite checks it.
    it('no fetch, WebSocket or nested worker, not even through a constructor chain', async () => {
      const { result, stdout } = await run(`
import js
for name in ("fetch", "WebSocket", "XMLHttpRequest", "EventSource", "Worker"):
    print(name, hasattr(js, name))
print("via Function:", js.Function("return typeof fetch + ' ' + typeof WebSocket")())
`);
      expect(result.error).toBeNull();
      expect(stdout).toBe(
        'fetch False\nWebSocket False\nXMLHttpRequest False\nEventSource False\nWorker False\n' +
          'via Function: undefined undefined\n',
      );
      await nextRunWorks();
    });
  });
}
