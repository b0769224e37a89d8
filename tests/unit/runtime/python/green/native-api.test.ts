/**
 * The native workers' hashing and zlib (green/native-api.ts) against real CPython: python3 hashes
 * and compresses the same bytes, and every digest and every compressed stream must be equal
 * byte for byte (what Run Python routes there must not change a program's output).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  NATIVE_HASHES,
  NativeJobs,
  zlibCompress,
  zlibDecompress,
  type Blake2Params,
  type NativeHash,
} from '../../../../../src/runtime/python/green/native-api.ts';

/** Deterministic bytes (xorshift), some compressible (text-like), some not. */
function bytes(n: number, seed: number, text = false): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 || 1;
  const words = new TextEncoder().encode('the GIL lets one thread run Python bytecode at a time ');
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? words[(i + ((x >>> 24) % 3 === 0 ? x >>> 28 : 0)) % words.length]! : x & 255;
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** Runs python3 on a JSON list of cases read from stdin; returns its JSON answer. */
function python3<T>(script: string, input: unknown): T {
  const out = execFileSync('python3', ['-c', script], {
    input: JSON.stringify(input),
    maxBuffer: 256 << 20,
  });
  return JSON.parse(out.toString()) as T;
}

interface HashCase {
  algo: NativeHash;
  params: Blake2Params | null;
  chunks: Uint8Array[];
}

const HASH_SCRIPT = `
import base64, hashlib, json, sys
out = []
for c in json.load(sys.stdin):
    p = c["params"] or {}
    kw = {}
    if c["params"]:
        kw["digest_size"] = p["digestSize"]
        for k in ("key", "salt", "person"):
            if p[k] is not None:
                kw[k] = base64.b64decode(p[k])
    h = hashlib.new(c["algo"], **kw)
    for chunk in c["chunks"]:
        h.update(base64.b64decode(chunk))
    out.append(h.hexdigest())
print(json.dumps(out))
`;

describe('native hashing (green/native-api.ts) against python3', () => {
  it('every algorithm, around HASHLIB_GIL_MINSIZE and beyond, in one or several updates', () => {
    const cases: HashCase[] = [];
    for (const algo of NATIVE_HASHES)
      for (const [i, sizes] of [
        [0],
        [1],
        [2047],
        [2048],
        [2049],
        [100_003],
        [1 << 20],
        [5, 3000, 70_000, 1],
      ].entries())
        cases.push({ algo, params: null, chunks: sizes.map((n, j) => bytes(n, i * 10 + j)) });
    const blake2: [NativeHash, Blake2Params][] = [
      ['blake2b', { digestSize: 20, key: null, salt: null, person: null }],
      ['blake2b', { digestSize: 64, key: bytes(64, 3), salt: bytes(16, 4), person: bytes(16, 5) }],
      ['blake2b', { digestSize: 32, key: bytes(7, 6), salt: bytes(5, 7), person: bytes(3, 8) }],
      ['blake2s', { digestSize: 16, key: bytes(32, 9), salt: bytes(8, 10), person: bytes(8, 11) }],
      ['blake2s', { digestSize: 32, key: bytes(1, 12), salt: bytes(2, 13), person: null }],
    ];
    for (const [algo, params] of blake2)
      cases.push({ algo, params, chunks: [bytes(3000, 1), bytes(10, 2)] });
    const expected = python3<string[]>(
      HASH_SCRIPT,
      cases.map((c) => ({
        algo: c.algo,
        params: c.params && {
          digestSize: c.params.digestSize,
          key: c.params.key && b64(c.params.key),
          salt: c.params.salt && b64(c.params.salt),
          person: c.params.person && b64(c.params.person),
        },
        chunks: c.chunks.map(b64),
      })),
    );
    const jobs = new NativeJobs(null);
    const got = cases.map((c, id) => {
      const [first, ...rest] = c.chunks;
      let reply = jobs.hashNew(id, c.algo, c.params, first ?? null);
      for (const chunk of rest) reply = jobs.hashUpdate(id, chunk);
      return hex(reply.digest!);
    });
    expect(got).toEqual(expected);
  });

  it('a copy continues on its own; digest() does not end the state; free drops it', () => {
    const jobs = new NativeJobs(null);
    const a = bytes(5000, 1);
    const b = bytes(4000, 2);
    jobs.hashNew(1, 'sha256', null, a);
    jobs.hashCopy(1, 2);
    jobs.hashUpdate(2, b);
    const [onlyA, aThenB] = python3<string[]>(HASH_SCRIPT, [
      { algo: 'sha256', params: null, chunks: [b64(a)] },
      { algo: 'sha256', params: null, chunks: [b64(a), b64(b)] },
    ]);
    expect(hex(jobs.hashDigest(1).digest!)).toBe(onlyA);
    expect(hex(jobs.hashDigest(1).digest!)).toBe(onlyA);
    expect(hex(jobs.hashDigest(2).digest!)).toBe(aThenB);
    jobs.hashFree(1);
    jobs.hashFree(2);
    expect(jobs.hashCount).toBe(0);
  });
});

const ZLIB_SCRIPT = `
import base64, json, sys, zlib
out = []
for data, level in json.load(sys.stdin):
    out.append(base64.b64encode(zlib.compress(base64.b64decode(data), level)).decode())
print(json.dumps(out))
`;

describe('native zlib (green/native-api.ts) against python3', () => {
  const inputs = [
    bytes(20_000, 1),
    bytes(300_000, 2, true),
    new Uint8Array(1 << 20),
    bytes(1 << 20, 3, true),
  ];
  const levels = [-1, 1, 2, 5, 6, 9]; // 0 stays in the interpreter (native-api.ts)

  it('compress output is byte-identical to python3 zlib.compress at levels -1 and 1–9', () => {
    const cases = inputs.flatMap((data) => levels.map((level) => ({ data, level })));
    const expected = python3<string[]>(
      ZLIB_SCRIPT,
      cases.map((c) => [b64(c.data), c.level]),
    );
    expect(cases.map((c) => b64(zlibCompress(c.data, c.level)))).toEqual(expected);
  });

  it('decompress gives the data back, and leaves errors to the interpreter (CPython’s message)', () => {
    for (const data of inputs) expect(zlibDecompress(zlibCompress(data, 6))).toEqual(data);
    const stream = zlibCompress(bytes(50_000, 4, true), 6);
    expect(zlibDecompress(stream.subarray(0, stream.length - 10))).toBeNull(); // truncated
    expect(zlibDecompress(bytes(50_000, 5))).toBeNull(); // not zlib
    // zlib.decompress stops after the first stream, whatever follows (python3 too).
    const first = bytes(50_000, 4, true);
    expect(zlibDecompress(new Uint8Array([...stream, ...stream]))).toEqual(first);
    expect(zlibDecompress(new Uint8Array([...stream, 106, 117, 110, 107]))).toEqual(first);
  });
});
