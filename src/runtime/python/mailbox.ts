/**
 * One interpreter's mailbox: how results reach an interpreter that is blocked in join(), result(),
 * wait() or as_completed(). A blocked worker cannot receive messages, so the page-side coordinator
 * writes one delivery into shared memory and wakes it with Atomics.notify; the interpreter empties
 * the mailbox before the coordinator may write the next one.
 */
import { MAILBOX_BYTES } from './memory.ts';

/** Header words: full flag (the word waiters sleep on), future id, status, payload length. */
const FULL = 0;
const FID = 1;
const STATUS = 2;
const LENGTH = 3;
const HEADER_BYTES = 64;

/** What a delivery says about a future. */
export const DELIVERY = {
  /** The task returned; payload = pickled value (Thread: the thread object's attributes). */
  ok: 1,
  /** The task raised; payload = pickled (exception, traceback text). */
  error: 2,
  cancelled: 3,
  /** Thread.start() was accepted; no payload. */
  accepted: 10,
  /** Thread.start() was refused; payload = UTF-8 message. */
  refused: 11,
} as const;

/** One message in a mailbox. */
export interface Delivery {
  fid: number;
  status: number;
  payload: Uint8Array;
}

/** Allocates a mailbox (the OS commits pages only as deliveries touch them). */
export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + MAILBOX_BYTES);
}

/** The word a receiver sleeps on (0 empty, 1 full). */
export function mailboxWord(box: SharedArrayBuffer): { words: Int32Array; index: number } {
  return { words: new Int32Array(box, 0, HEADER_BYTES / 4), index: FULL };
}

/** Coordinator side: writes `d` if the mailbox is empty; false if it is still full. */
export function tryDeliver(box: SharedArrayBuffer, d: Delivery): boolean {
  const h = new Int32Array(box, 0, HEADER_BYTES / 4);
  if (Atomics.load(h, FULL) !== 0) return false;
  if (d.payload.length > MAILBOX_BYTES) {
    const mb = (d.payload.length / 2 ** 20).toFixed(1);
    const text = `GIL Lab: a result of ${mb} MB is larger than the ${MAILBOX_BYTES / 2 ** 20} MB that can pass between interpreters`;
    return tryDeliver(box, { ...d, status: DELIVERY.error, payload: encodeError(text) });
  }
  new Uint8Array(box, HEADER_BYTES, d.payload.length).set(d.payload);
  h[FID] = d.fid;
  h[STATUS] = d.status;
  h[LENGTH] = d.payload.length;
  Atomics.store(h, FULL, 1);
  Atomics.notify(h, FULL);
  return true;
}

/** Receiver side: takes the delivery out of the mailbox (copying it), or null when empty. */
export function takeDelivery(box: SharedArrayBuffer): Delivery | null {
  const h = new Int32Array(box, 0, HEADER_BYTES / 4);
  if (Atomics.load(h, FULL) === 0) return null;
  const length = h[LENGTH]!;
  const d = {
    fid: h[FID]!,
    status: h[STATUS]!,
    payload: new Uint8Array(box, HEADER_BYTES, length).slice(),
  };
  Atomics.store(h, FULL, 0);
  Atomics.notify(h, FULL);
  return d;
}

/**
 * An error payload the Python side can read without unpickling a foreign exception: the marker
 * byte 0 followed by UTF-8 text (a pickle always starts with 0x80).
 */
export function encodeError(
  text: string,
  marker: (typeof ERROR_MARKER)[keyof typeof ERROR_MARKER] = ERROR_MARKER.plain,
): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 1);
  out[0] = marker;
  out.set(body, 1);
  return out;
}

/** The first byte of an error payload that is text: which exception the Python side raises. */
export const ERROR_MARKER = {
  /** RuntimeError(text). */
  plain: 0,
  /** concurrent.futures.process.BrokenProcessPool(text): a pool's process died. */
  brokenProcessPool: 1,
} as const;
