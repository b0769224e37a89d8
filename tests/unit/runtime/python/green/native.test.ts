/**
 * hashlib and zlib in the one-interpreter engine: large inputs are computed in native workers
 * while the calling thread waits without the GIL (green_thread.py, green/native-api.ts), so they
 * overlap other threads as in CPython. Outcomes, never timings: what a program prints equals what
 * python3 prints, and the timeline shows native segments overlapping other threads.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TimelineSnapshot } from '../../../../../src/runtime/core/timeline.ts';
import { pythonSuite } from '../suite.ts';

const { run, runner } = pythonSuite({ prewarm: 1, gilEngine: 'auto' });
const T = 120_000;

/** [from, to) intervals (ms) in which lane `lane` was in `state`. */
function intervals(timeline: TimelineSnapshot, lane: number, state: string): [number, number][] {
  const l = timeline.lanes.find((x) => x.lane === lane);
  if (l === undefined) return [];
  const out: [number, number][] = [];
  l.events.forEach((e, i) => {
    if (e.state === state) out.push([e.t, l.events[i + 1]?.t ?? timeline.endMs]);
  });
  return out;
}

function overlaps(a: [number, number][], b: [number, number][]): boolean {
  return a.some(([a0, a1]) => b.some(([b0, b1]) => a0 < b1 && b0 < a1));
}

const DIGESTS = `
import hashlib, random, zlib
from concurrent.futures import ThreadPoolExecutor

BASE = bytes((i * 131 + (i >> 7)) & 255 for i in range(300_007))

def data(n, seed):
    return BASE[seed:seed + n]

NAMES = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512",
         "sha3_224", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s")

def table(name):
    rows = []
    for n in (100, 2047, 2048, 70000, 300000):
        rows.append(getattr(hashlib, name)(data(n, 1)).hexdigest())
    h = hashlib.new(name)
    h.update(data(1000, 2))          # in the interpreter ...
    h.update(data(70000, 3))         # ... then in a native worker, with the first 1000 replayed
    c = h.copy()
    h.update(data(10, 4))
    c.update(data(3000, 5))
    rows += [h.hexdigest(), c.hexdigest(), h.hexdigest()]
    return name, rows

with ThreadPoolExecutor(max_workers=3) as pool:
    for name, rows in pool.map(table, NAMES):
        print(name, *rows)

print(hashlib.blake2b(data(70000, 6), digest_size=20, key=b"k" * 9, salt=b"s", person=b"p" * 16).hexdigest())
print(hashlib.blake2s(data(70000, 7), digest_size=16, key=b"key").hexdigest())
print(hashlib.blake2b.MAX_DIGEST_SIZE, hashlib.blake2s.SALT_SIZE, hashlib.sha256().name)
print(hashlib.blake2b(data(70000, 8), fanout=2, depth=3).hexdigest())  # stays in the interpreter
print(hashlib.sha256(memoryview(data(90000, 9)).cast("I")).hexdigest())
text = b"the GIL lets one thread run Python at a time. " * 5000
noise = random.Random(1).randbytes(100_000)
for blob in (text, noise, text[:5000]):
    for level in (-1, 0, 1, 9):
        z = zlib.compress(blob, level)
        print(level, len(z), hashlib.sha256(z).hexdigest(), zlib.decompress(z) == blob)
z = zlib.compress(noise)
for bad in (z[:-5], z + b"junk", z + z, b"x" * 20000):
    try:
        print(len(zlib.decompress(bad)))
    except zlib.error as e:
        print("zlib.error:", e)
try:
    hashlib.sha256().update("text")
except TypeError as e:
    print("TypeError:", e)
`;

describe('hashlib and zlib without the GIL (one interpreter)', () => {
  it(
    'digests, copies, blake2 keywords and zlib streams equal python3 for every routed call',
    async () => {
      const expected = execFileSync('python3', ['-c', DIGESTS]).toString();
      const { result, stdout, stderr } = await run(DIGESTS);
      expect(result.error, stderr).toBeNull();
      expect(result.engine).toBe('one-interpreter');
      expect(stdout).toBe(expected);
    },
    T,
  );

  it(
    'a thread hashing or compressing a large buffer is native on the timeline while others run Python',
    async () => {
      const { result, stdout, stderr } = await run(`
import hashlib, threading, zlib
data = bytes(range(256)) * (8 << 12)  # 8 MiB
def hashing():
    h = hashlib.sha256()
    for _ in range(6):
        h.update(data)
    print("sha256", h.hexdigest()[:12])
def compressing():
    print("zlib", len(zlib.compress(data * 2, 6)))
threads = [threading.Thread(target=hashing), threading.Thread(target=compressing)]
for t in threads:
    t.start()
n = 0
while any(t.is_alive() for t in threads):
    n += 1  # the main thread computes in Python meanwhile
for t in threads:
    t.join()
print("main counted", n > 0)
`);
      expect(result.error, stderr).toBeNull();
      expect(stdout).toContain('sha256 ');
      expect(stdout).toContain('main counted True');
      const main = intervals(result.timeline, 0, 'running');
      const hashing = intervals(result.timeline, 1, 'native');
      const compressing = intervals(result.timeline, 2, 'native');
      expect(hashing.length).toBeGreaterThan(0);
      expect(compressing.length).toBeGreaterThan(0);
      expect(overlaps(main, hashing)).toBe(true);
      expect(overlaps(hashing, compressing)).toBe(true);
      expect(result.overlapMs).toBeGreaterThan(0);
    },
    T,
  );

  it(
    'hashes too small for a native worker compute in the interpreter, and a release there hands the GIL over no more than the switch interval does',
    async () => {
      // 4 threads x 1,500 messages of 2,048 bytes (CPython releases the GIL for each). Handing
      // the GIL to a waiting thread at every such call cost a switch of stacks per call
      // (hashlib_cliff.py: 0.07x in Chromium, CPython 0.68-0.97x); CPython's woken thread
      // rarely gets the GIL before the short call ends, and a thread that waited a whole switch
      // interval gets it at the next check either way.
      const calls = 4 * 1500;
      const { result, stdout, stderr } = await run(`
import hashlib, threading
chunk = bytes(2048)
def task():
    for _ in range(1500):
        hashlib.sha256(chunk).digest()
threads = [threading.Thread(target=task) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(hashlib.sha256(chunk).hexdigest())
`);
      expect(result.error, stderr).toBeNull();
      expect(stdout.trim()).toBe(
        execFileSync('python3', [
          '-c',
          'import hashlib; print(hashlib.sha256(bytes(2048)).hexdigest())',
        ])
          .toString()
          .trim(),
      );
      for (const lane of [0, 1, 2, 3, 4])
        expect(intervals(result.timeline, lane, 'native')).toEqual([]);
      expect(result.switches).toBeLessThan(calls / 2);
    },
    T,
  );

  it(
    'zlib.compress calls of two threads are native at the same time on the timeline',
    async () => {
      const { result, stdout, stderr } = await run(`
import random, threading, zlib
data = [random.Random(i).randbytes(1 << 20) for i in range(2)]
sizes = [0, 0]
def compress(i):
    sizes[i] = len(zlib.compress(data[i], 6))
threads = [threading.Thread(target=compress, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(all(s > len(data[0]) for s in sizes))
`);
      expect(result.error, stderr).toBeNull();
      expect(stdout.trim()).toBe('True');
      expect(
        overlaps(intervals(result.timeline, 1, 'native'), intervals(result.timeline, 2, 'native')),
      ).toBe(true);
    },
    T,
  );

  it(
    'Stop during long native calls ends the run; the next run hashes again',
    async () => {
      const handle = runner.run(
        `
import hashlib, threading
data = bytes(8 << 20)
def spin():
    while True:
        hashlib.sha512(data).digest()
for _ in range(3):
    threading.Thread(target=spin, daemon=True).start()
print("started", flush=True)
while True:
    hashlib.md5(data).digest()
`,
        {
          onOutput: (o) => {
            if (o.text.includes('started')) setTimeout(() => void handle.stop(), 200);
          },
        },
      );
      const result = await handle.result;
      expect(result.stopped).toBe(true);
      const after = await run('import hashlib\nprint(hashlib.sha1(bytes(100_000)).hexdigest())\n');
      expect(after.result.error).toBeNull();
      expect(after.stdout.trim()).toBe(
        execFileSync('python3', [
          '-c',
          'import hashlib\nprint(hashlib.sha1(bytes(100_000)).hexdigest())',
        ])
          .toString()
          .trim(),
      );
    },
    T,
  );
});
