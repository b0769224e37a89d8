/**
 * The one-interpreter engine's native workers: hashlib and zlib work that CPython does in C with
 * the GIL released, done here in another worker so that it truly overlaps the program's other
 * threads (green/scheduler.ts suspends the calling thread meanwhile, as a lock wait does).
 *
 * CPython releases the GIL around that C code (checked in python/cpython's sources, read here):
 * - hashlib: Modules/hashlib.h `HASHLIB_GIL_MINSIZE` 2048; the HACL* modules (sha2module.c,
 *   md5module.c, sha1module.c, sha3module.c, blake2module.c) and _hashopenssl.c wrap the update of
 *   an input of at least that size (3.13: `len >= HASHLIB_GIL_MINSIZE`, after which the object
 *   keeps releasing it, `use_mutex`; the constructor's data too) in Py_BEGIN_ALLOW_THREADS.
 *   main (3.15, gh-135239) tests `len > HASHLIB_GIL_MINSIZE` per call instead; the 3.14 branch
 *   itself could not be read here, so the 3.13 rule (the one the lessons cite) is followed.
 * - zlib: Modules/zlibmodule.c releases it around every deflate() / inflate() call of
 *   zlib.compress / zlib.decompress, whatever the size.
 * green_thread.py decides what comes here; everything else stays in the interpreter.
 *
 * The implementations are well-kept libraries: @noble/hashes (digests checked against python3's
 * hashlib in tests/unit/runtime/python/green/native-api.test.ts) and pako 2, a port of zlib
 * whose output is byte-identical to python3's zlib at levels -1 and 1–9 (same test). A plain
 * module: the
 * worker entry (native.worker.ts) only exposes it; Node tests call it directly.
 */
import { expose, transfer } from 'comlink';
import { blake2b, blake2s } from '@noble/hashes/blake2.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import { deflate, Inflate } from 'pako';
import { NATIVE_AT, NATIVE_DONE, absoluteNow, changed, greenControl } from './control.ts';

/** The incremental state noble's hashes share (only what is used here). */
interface HashState {
  update(data: Uint8Array): HashState;
  digest(): Uint8Array;
  clone(): HashState;
}

/** hashlib's names of the algorithms computed here. */
export const NATIVE_HASHES = [
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha3_224',
  'sha3_256',
  'sha3_384',
  'sha3_512',
  'blake2b',
  'blake2s',
] as const;
export type NativeHash = (typeof NATIVE_HASHES)[number];

/** BLAKE2's parameters (hashlib.blake2b / blake2s keywords); the others stay in the interpreter. */
export interface Blake2Params {
  digestSize: number;
  key: Uint8Array | null;
  salt: Uint8Array | null;
  person: Uint8Array | null;
}

const PLAIN: Record<Exclude<NativeHash, 'blake2b' | 'blake2s'>, { create(): HashState }> = {
  md5,
  sha1,
  sha224,
  sha256,
  sha384,
  sha512,
  sha3_224,
  sha3_256,
  sha3_384,
  sha3_512,
};

/** CPython zero-pads a short salt or person to the full size (Modules/blake2module.c). */
function padded(bytes: Uint8Array | null, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (bytes !== null) out.set(bytes.subarray(0, size));
  return out;
}

export function createHash(algo: NativeHash, params: Blake2Params | null): HashState {
  if (algo === 'blake2b' || algo === 'blake2s') {
    const hash = algo === 'blake2b' ? blake2b : blake2s;
    const size = algo === 'blake2b' ? 16 : 8;
    const key = params?.key;
    return hash.create({
      dkLen: params?.digestSize ?? (algo === 'blake2b' ? 64 : 32),
      ...(key !== undefined && key !== null && key.length > 0 ? { key } : {}),
      salt: padded(params?.salt ?? null, size),
      personalization: padded(params?.person ?? null, size),
    });
  }
  return PLAIN[algo].create();
}

/**
 * zlib.compress(data, level) with wbits 15 (a zlib stream, as CPython's default), levels 1–9 and
 * -1: pako 2 is a port of zlib 1.2.8, whose output equals python3's zlib 1.2.13 at those levels
 * (tested); level 0 (stored blocks) differs since zlib 1.2.9 and is left to the interpreter.
 */
export function zlibCompress(data: Uint8Array, level: number): Uint8Array {
  return deflate(data, { level: level as -1 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9, windowBits: 15 });
}

/** pako's inflator with the stream state its types leave out. */
type Inflator = Inflate & { ended: boolean; strm: { total_out: number } };

/**
 * zlib.decompress(data) with wbits 15: the first zlib stream, anything after it ignored, as
 * CPython's loop stops at Z_STREAM_END (pako 2.2 leaves what follows a zlib stream alone too; a
 * restart would show as total_out counting less than the result). null when the interpreter must
 * do it, which then raises CPython's own zlib.error: a corrupt or truncated stream.
 */
export function zlibDecompress(data: Uint8Array): Uint8Array | null {
  const inflator = new Inflate({ windowBits: 15 }) as Inflator;
  inflator.push(data, true);
  const result = inflator.result;
  if (inflator.err !== 0 || !inflator.ended || !(result instanceof Uint8Array)) return null;
  if (inflator.strm.total_out !== result.length) return null;
  return result;
}

/** What a waited-for call answers (transferred back). */
export interface NativeReply {
  /** The hash's digest after the call (hash calls). */
  digest?: Uint8Array;
  /** zlib's output; null: let the interpreter do it (zlibDecompress). */
  out?: Uint8Array | null;
  /** How long the work took here, ms (the thread's CPU time in C). */
  ms: number;
  /** When it finished (absolute ms, control.ts absoluteNow): from then on the thread wants the GIL. */
  doneAt: number;
}

/**
 * One run's connection to this worker: its hash objects by handle, and the run's control words,
 * where a finished call says so at once (NATIVE_DONE): the reply itself waits in the green
 * worker's message queue until its interpreter lets its event loop turn, which the scheduler
 * then does (CPython's drop request, raised by the ticker).
 */
export class NativeJobs {
  readonly #hashes = new Map<number, HashState>();
  readonly #control: ReturnType<typeof greenControl> | null;

  constructor(control: SharedArrayBuffer | null) {
    this.#control = control === null ? null : greenControl(control);
  }

  /**
   * Runs a call its thread waits for, and says it finished (NATIVE_DONE) even when it threw:
   * the green worker counts one reply, or one error, for every such call.
   */
  #run(work: () => Omit<NativeReply, 'ms' | 'doneAt'>): NativeReply {
    const t0 = performance.now();
    let doneAt: number;
    let fields: Omit<NativeReply, 'ms' | 'doneAt'>;
    try {
      fields = work();
    } finally {
      doneAt = absoluteNow();
      const c = this.#control;
      if (c !== null) {
        if (Atomics.add(c.words, NATIVE_DONE, 1) === 0) c.times[NATIVE_AT] = doneAt;
        changed(c);
      }
    }
    const buffers = [fields.digest?.buffer, fields.out?.buffer].filter(
      (b): b is ArrayBuffer => b instanceof ArrayBuffer,
    );
    return transfer({ ...fields, ms: performance.now() - t0, doneAt }, buffers);
  }

  #hash(id: number): HashState {
    const h = this.#hashes.get(id);
    if (h === undefined) throw new Error(`GIL Lab: no native hash object ${id}`);
    return h;
  }

  hashNew(
    id: number,
    algo: NativeHash,
    params: Blake2Params | null,
    data: Uint8Array | null,
  ): NativeReply {
    return this.#run(() => {
      const h = createHash(algo, params);
      if (data !== null) h.update(data);
      this.#hashes.set(id, h);
      return { digest: h.clone().digest() };
    });
  }

  hashUpdate(id: number, data: Uint8Array): NativeReply {
    return this.#run(() => {
      const h = this.#hash(id);
      h.update(data);
      return { digest: h.clone().digest() };
    });
  }

  hashDigest(id: number): NativeReply {
    return this.#run(() => ({ digest: this.#hash(id).clone().digest() }));
  }

  /** Not waited for: the copy's handle is the caller's, and later calls arrive after this one. */
  hashCopy(from: number, to: number): void {
    const h = this.#hashes.get(from);
    if (h !== undefined) this.#hashes.set(to, h.clone());
  }

  hashFree(id: number): void {
    this.#hashes.delete(id);
  }

  get hashCount(): number {
    return this.#hashes.size;
  }

  compress(data: Uint8Array, level: number): NativeReply {
    return this.#run(() => ({ out: zlibCompress(data, level) }));
  }

  decompress(data: Uint8Array): NativeReply {
    return this.#run(() => ({ out: zlibDecompress(data) }));
  }
}

export type NativeJobsApi = Pick<
  NativeJobs,
  'hashNew' | 'hashUpdate' | 'hashDigest' | 'hashCopy' | 'hashFree' | 'compress' | 'decompress'
>;

let warm = false;

/**
 * Runs every hash and pako's deflate (levels 6 and 1) and inflate once on small inputs, once per
 * worker. A worker's JavaScript starts unoptimised: its first 2 MiB zlib.compress took about 2.5x
 * as long as the next (Node 24), and the first call landed in whichever timing of the program
 * reached a worker first (native_release.py: the sequential run used one worker, the threads
 * both, so the threads paid for the second worker's start: compress 0.84x in Chromium, CPython
 * 1.8x). The engine optimises them in the background meanwhile.
 */
export function warmUp(): void {
  if (warm) return;
  warm = true;
  const data = new Uint8Array(64 * 1024);
  let x = 1;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    // Half noise, half runs: both of deflate's paths (literals and matches) are exercised.
    data[i] = i & 4096 ? x >>> 24 : i & 63;
  }
  for (const level of [6, 1]) zlibDecompress(zlibCompress(data, level));
  zlibCompress(data, 6);
  for (const algo of NATIVE_HASHES) createHash(algo, null).update(data.subarray(0, 16384)).digest();
}

/** The worker's API (page side): each run connects a port the green worker calls through. */
export const nativeApi = {
  ping(): boolean {
    return true;
  },
  /** Optimises the worker's code before any program times it (warmUp); once per worker. */
  warm(): boolean {
    warmUp();
    return true;
  },
  /** Serves one run on `port` (the previous run's hash objects are dropped with its port). */
  connect(port: MessagePort, control: SharedArrayBuffer): void {
    warmUp();
    const jobs = new NativeJobs(control);
    const api: NativeJobsApi = {
      hashNew: (...a) => jobs.hashNew(...a),
      hashUpdate: (...a) => jobs.hashUpdate(...a),
      hashDigest: (...a) => jobs.hashDigest(...a),
      hashCopy: (...a) => jobs.hashCopy(...a),
      hashFree: (...a) => jobs.hashFree(...a),
      compress: (...a) => jobs.compress(...a),
      decompress: (...a) => jobs.decompress(...a),
    };
    expose(api, port);
  },
};

export type NativeApi = typeof nativeApi;
