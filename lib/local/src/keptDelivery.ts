/**
 * What makes local delivery survive any stop of `npm start` while the SQS emulator keeps its
 * messages in memory only: stream consumers that send to queues save a low-water mark instead of
 * their position (see `holdCheckpoint`), and dead-letter and failure queues are copied to disk
 * and put back at start (see `queueMirror`).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import {
  type Checkpoint,
  type HeldCheckpoint,
  holdCheckpoint,
  oldestSentTimestamp,
} from './checkpoints.ts';
import { queueMirror } from './queueMirror.ts';
import type { QueuedMessage } from './sqsEmulator.ts';
import type { QueueUrls } from './systemQueues.ts';

/** Queues that live in this process's memory, and where their keepers write. */
export interface MemoryQueues {
  readonly inspect: (queueUrl: string) => readonly QueuedMessage[] | undefined;
  /** Where dead-letter and failure queue contents are kept (`DATA_DIR/queues`). */
  readonly dir: string;
}

/**
 * Keeps what the in-memory queues hold on disk and holds stream checkpoints back until it is.
 * @internal
 */
export interface KeptDelivery {
  /** Puts the kept dead letters and failures back; before any consumer runs. */
  restore(): Promise<number>;
  /** The checkpoint a stream consumer is given: held back if it sends to queues. */
  checkpointFor(consumer: string, saved: Checkpoint): Checkpoint;
  /** Writes the kept queues now (a message was just sent to one). */
  keep(): Promise<void>;
  /** Looks at the queues every `intervalMs`, writing what changed and what may advance. */
  start(intervalMs?: number): void;
  /** A last look, once the consumers have stopped. */
  stop(): Promise<void>;
}

/**
 * The kept delivery of a local system's queues.
 * @internal
 */
export function keptDelivery(options: {
  readonly system: SystemDeclaration<never>;
  readonly queueUrls: QueueUrls;
  readonly sqs: SQSClient;
  readonly memory: MemoryQueues;
  readonly log?: (message: string) => void;
}): KeptDelivery {
  const { system, queueUrls, memory } = options;
  const mirror = queueMirror({
    dir: memory.dir,
    client: options.sqs,
    queues: [...Object.values(queueUrls.deadLetters), ...Object.values(queueUrls.failures)],
    inspect: memory.inspect,
  });
  const held: HeldCheckpoint[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  const tick = async () => {
    await mirror.save();
    for (const h of held) await h.advance();
  };
  const tickLogged = () =>
    tick().catch((error: unknown) =>
      options.log?.(
        `[delivery] could not keep queue state: ${error instanceof Error ? error.message : error}`,
      ),
    );
  return {
    restore: () => mirror.restore(),
    checkpointFor: (consumer, saved) => {
      const sendsTo = system.streamConsumers[consumer]?.sendsTo ?? [];
      if (sendsTo.length === 0) return saved;
      const urls = sendsTo.map((queue) => queueUrls.queues[queue] as string);
      const h = holdCheckpoint({
        saved,
        oldestQueued: () => {
          const times = urls
            .map((url) => oldestSentTimestamp(memory.inspect(url)))
            .filter((t): t is number => t !== undefined);
          return times.length === 0 ? undefined : Math.min(...times);
        },
        // A message dead-lettered after the look above is on disk before the mark moves past it.
        beforeAdvance: () => mirror.save(),
      });
      held.push(h);
      return h.checkpoint;
    },
    keep: () => mirror.save(),
    start: (intervalMs = 200) => {
      timer = setInterval(() => {
        ticking ??= tickLogged().finally(() => {
          ticking = undefined;
        });
      }, intervalMs);
    },
    stop: async () => {
      clearInterval(timer);
      await ticking;
      await tickLogged();
    },
  };
}
