/**
 * Operator functions for a system's queues: their depths, the dead letters they hold (looked at
 * without taking them) and their redrive. No console, no argv: the CLI and the console call
 * these with an SQS client and the queue URLs (local or deployed).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type RedriveResult, redriveDeadLetters } from '@coffee-es/aws-lambda';
import { deadLetterUrlOf, depthOf, type PeekedMessage, peekMessages } from './queueMessages.ts';

export type { PeekedMessage } from './queueMessages.ts';

/** One queue's approximate depth and its dead-letter queue's. */
export interface QueueDepth {
  readonly queue: string;
  readonly url: string;
  /** Waiting to be received. */
  readonly messages: number;
  /** Received and not yet deleted. */
  readonly inFlight: number;
  readonly deadLetterUrl: string;
  readonly deadLetters: number;
}

/**
 * The depths of the queues given (logical name → URL), with their dead-letter queues'. SQS counts
 * are approximate and, on the local emulator, updated on the next receive.
 *
 * @example
 * ```ts
 * for (const d of await queueDepths(sqs, endpoints.queues)) console.log(d.queue, d.deadLetters);
 * ```
 */
export async function queueDepths(
  client: SQSClient,
  queues: Readonly<Record<string, string>>,
): Promise<QueueDepth[]> {
  return Promise.all(
    Object.entries(queues).map(async ([queue, url]) => {
      const deadLetterUrl = await deadLetterUrlOf(client, url);
      const [own, dead] = await Promise.all([depthOf(client, url), depthOf(client, deadLetterUrl)]);
      return {
        queue,
        url,
        messages: own.visible,
        inFlight: own.inFlight,
        deadLetterUrl,
        deadLetters: dead.visible + dead.inFlight,
      };
    }),
  );
}

/**
 * Up to `max` (default 100) messages of the dead-letter queue of `sourceUrl`, left where they
 * are: each is received hidden for a moment and shown again at once. Of a FIFO queue, the oldest
 * message of each message group (SQS hands out no other while it is hidden).
 *
 * @example
 * ```ts
 * const dead = await peekDeadLetters(sqs, endpoints.queues.events, { max: 20 });
 * for (const m of dead) console.log(m.messageId, m.receiveCount, m.body);
 * ```
 */
export async function peekDeadLetters(
  client: SQSClient,
  sourceUrl: string,
  options: {
    readonly max?: number;
    /** When known (a stack's outputs name it); else found from the queue's redrive policy. */
    readonly deadLetterUrl?: string;
  } = {},
): Promise<PeekedMessage[]> {
  const url = options.deadLetterUrl ?? (await deadLetterUrlOf(client, sourceUrl));
  return peekMessages(client, url, options.max === undefined ? {} : { max: options.max });
}

/**
 * Moves the dead letters of `sourceUrl` back to it: a move task where SQS offers one, by hand
 * otherwise (each message sent, then deleted: an interruption duplicates one, never loses one).
 * `signal` stops a redrive by hand after the message it is moving.
 *
 * @example
 * ```ts
 * const { method, messages } = await redriveQueue(sqs, endpoints.queues.events);
 * ```
 */
export async function redriveQueue(
  client: SQSClient,
  sourceUrl: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<RedriveResult> {
  return redriveDeadLetters({
    client,
    sourceUrl,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export {
  type FailureNotice,
  type FailureQueue,
  type FailuresRedrive,
  listFailures,
  redriveFailures,
} from './failures.ts';
