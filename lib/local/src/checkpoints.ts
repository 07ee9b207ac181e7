/**
 * Stream positions kept on disk across restarts of `npm start`, and the hold that keeps a
 * forwarding consumer's saved position behind what an in-memory queue may still lose.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a stream poller resumes after a restart: the last sequence number it processed. */
export interface Checkpoint {
  load(): Promise<string | undefined>;
  save(sequenceNumber: string): Promise<void>;
}

/**
 * A checkpoint in `<dir>/<name>.checkpoint`, replaced atomically (write, then rename), so that a
 * kill in the middle of a save leaves the previous position rather than an empty file.
 *
 * @example
 * startStreamPoller({ ..., checkpoint: fileCheckpoint('.data/checkpoints', 'projector') });
 * @internal
 */
export function fileCheckpoint(dir: string, name: string): Checkpoint {
  const file = join(dir, `${name}.checkpoint`);
  return {
    load: async () => {
      const text = await readFile(file, 'utf8').catch(() => '');
      return text.trim() || undefined;
    },
    save: async (sequenceNumber: string) => {
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, sequenceNumber);
      await rename(`${file}.tmp`, file);
    },
  };
}

export interface HeldCheckpoint {
  /** What the stream poller is given: saves are noted, and kept until `advance` may write them. */
  readonly checkpoint: Checkpoint;
  /**
   * Writes the newest noted position whose messages have all left the queues (deleted by their
   * consumer, or moved to a dead-letter queue that `beforeAdvance` then wrote to disk).
   */
  advance(): Promise<void>;
}

/**
 * A low-water mark for a stream consumer that forwards records to queues held only in memory
 * (the local relay and the SQS emulator). The poller reports a position once the messages of
 * every record up to it were sent; that position is written only when the queues hold no message
 * sent at or before that moment. A stop of any kind then restarts the consumer from a record
 * whose messages may have been lost, never after one: it sends some messages again, which FIFO
 * de-duplication and the consumers' idempotency absorb.
 *
 * @example
 * const held = holdCheckpoint({ saved: fileCheckpoint(dir, 'relay'),
 *   oldestQueued: () => oldestSentTimestamp(emulator.inspect(eventsQueueUrl)) });
 * startStreamPoller({ ..., checkpoint: held.checkpoint });
 * setInterval(() => void held.advance(), 200);
 * @internal
 */
export function holdCheckpoint(options: {
  readonly saved: Checkpoint;
  /** Sent time (epoch ms) of the oldest message the queues still hold; undefined when empty. */
  readonly oldestQueued: () => number | undefined;
  /** Runs before a position is written, after the queues were looked at. */
  readonly beforeAdvance?: () => Promise<void>;
  readonly now?: () => number;
}): HeldCheckpoint {
  const now = options.now ?? Date.now;
  let noted: { sequenceNumber: string; at: number }[] = [];
  let running: Promise<void> = Promise.resolve();
  const advanceOnce = async () => {
    const oldest = options.oldestQueued() ?? Number.POSITIVE_INFINITY;
    // Messages of a noted position were all sent by its `at`; any message sent in that same
    // millisecond might be one of them, hence the strict comparison.
    let count = 0;
    while (count < noted.length && (noted[count]?.at ?? oldest) < oldest) count += 1;
    const last = noted[count - 1];
    if (!last) return;
    await options.beforeAdvance?.();
    await options.saved.save(last.sequenceNumber);
    noted = noted.slice(count);
  };
  return {
    checkpoint: {
      load: () => options.saved.load(),
      save: async (sequenceNumber) => {
        noted.push({ sequenceNumber, at: now() });
      },
    },
    advance: () => {
      // One at a time: two overlapping writes could land out of order.
      running = running.then(advanceOnce, advanceOnce);
      return running;
    },
  };
}

/**
 * The sent time of the oldest message, or undefined for none.
 * @internal
 */
export function oldestSentTimestamp(
  messages: readonly { readonly sentTimestamp: number }[] | undefined,
): number | undefined {
  let oldest: number | undefined;
  for (const m of messages ?? [])
    if (oldest === undefined || m.sentTimestamp < oldest) oldest = m.sentTimestamp;
  return oldest;
}
