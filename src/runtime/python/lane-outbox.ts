/**
 * Deliveries to one lane: a lane's mailbox holds one delivery at a time, so further ones wait in
 * its outbox until the interpreter has taken the previous one.
 */
import { tryDeliver, type Delivery } from './mailbox.ts';
import type { Lane } from './session-types.ts';

/** Queues a delivery and writes it as soon as the lane's mailbox is empty. */
export function deliver(lane: Lane, d: Delivery): void {
  lane.outbox.push(d);
  pumpOutbox(lane);
}

function pumpOutbox(lane: Lane): void {
  if (lane.pumping) return;
  while (lane.outbox.length > 0) {
    if (tryDeliver(lane.mailbox, lane.outbox[0]!)) {
      lane.outbox.shift();
      continue;
    }
    lane.pumping = true;
    const again = (): void => {
      lane.pumping = false;
      pumpOutbox(lane);
    };
    const words = new Int32Array(lane.mailbox, 0, 16);
    const wait = Atomics.waitAsync?.(words, 0, 1, 1000);
    if (wait?.async) void wait.value.then(again);
    else setTimeout(again, 1);
    return;
  }
}
