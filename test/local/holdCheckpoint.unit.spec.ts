/**
 * The relay's low-water mark: a position is written only once no message sent up to it can still
 * be lost with the emulator's memory.
 */

import { type Checkpoint, holdCheckpoint, oldestSentTimestamp } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

function memoryCheckpoint(initial?: string): Checkpoint & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    load: async () => writes.at(-1) ?? initial,
    save: async (sequenceNumber) => {
      writes.push(sequenceNumber);
    },
  };
}

/** A queue of sent times and a clock, both driven by the spec. */
function setting() {
  let clock = 1_000;
  const queue: { sentTimestamp: number }[] = [];
  const saved = memoryCheckpoint('100');
  const order: string[] = [];
  const held = holdCheckpoint({
    saved,
    oldestQueued: () => oldestSentTimestamp(queue),
    beforeAdvance: async () => {
      order.push(`kept-before-${saved.writes.length}`);
    },
    now: () => clock,
  });
  const send = () => {
    queue.push({ sentTimestamp: clock });
  };
  const tick = (ms: number) => {
    clock += ms;
  };
  return { held, saved, queue, send, tick, order };
}

describe('holdCheckpoint', () => {
  it('loads the saved position and writes nothing while the messages are queued', async () => {
    const { held, saved, send, tick } = setting();
    expect(await held.checkpoint.load()).toBe('100');
    send();
    tick(5);
    await held.checkpoint.save('110');
    await held.advance();
    expect(saved.writes).toEqual([]);
  });

  it('writes a position once every message sent up to it has left the queue', async () => {
    const { held, saved, queue, send, tick } = setting();
    send(); // record 110's message
    tick(3);
    await held.checkpoint.save('110');
    tick(3);
    send(); // record 120's message
    tick(3);
    await held.checkpoint.save('120');
    queue.shift(); // 110's message deleted by its consumer
    await held.advance();
    expect(saved.writes).toEqual(['110']);
    queue.shift();
    await held.advance();
    expect(saved.writes).toEqual(['110', '120']);
    await held.advance();
    expect(saved.writes).toEqual(['110', '120']); // nothing new: no write
  });

  it('holds a position whose moment equals the oldest message’s sent time (same millisecond)', async () => {
    const { held, saved, queue, send, tick } = setting();
    send();
    await held.checkpoint.save('110'); // same millisecond as the send
    tick(1);
    await held.advance();
    expect(saved.writes).toEqual([]);
    queue.shift();
    await held.advance();
    expect(saved.writes).toEqual(['110']);
  });

  it('writes straight to the newest position when the queue is empty, after keeping the queues', async () => {
    const { held, saved, tick, order } = setting();
    for (const s of ['110', '120', '130']) {
      tick(2);
      await held.checkpoint.save(s);
    }
    await held.advance();
    expect(saved.writes).toEqual(['130']);
    expect(order).toEqual(['kept-before-0']);
  });

  it('lets a message sent later (a redelivery of a newer record) not hold back older positions', async () => {
    const { held, saved, send, tick } = setting();
    tick(2);
    await held.checkpoint.save('110');
    tick(2);
    send();
    await held.advance();
    expect(saved.writes).toEqual(['110']);
  });

  it('runs overlapping advances one after another, in order', async () => {
    const { held, saved, tick } = setting();
    tick(1);
    await held.checkpoint.save('110');
    const first = held.advance();
    tick(1);
    await held.checkpoint.save('120');
    const second = held.advance();
    await Promise.all([first, second]);
    // However the two interleave, the file never goes back.
    expect(saved.writes.at(-1)).toBe('120');
    expect([...saved.writes].sort()).toEqual(saved.writes);
  });
});
