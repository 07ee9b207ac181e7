/**
 * What the console's queue view reads and does: each declared queue's depth and its dead-letter
 * queue's (SQS GetQueueAttributes), the stream consumers' failure queues, a peek at dead letters
 * that leaves them where they are, and the redrive (`redriveDeadLetters`).
 */
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type RedriveResult, redriveDeadLetters } from '@coffee-es/aws-lambda';
import type { QueueUrls } from '../systemQueues.ts';

/** How many messages a queue holds: waiting, being processed, delayed. */
export interface Depth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** A declared queue with its dead-letter queue, or a stream consumer's failure queue. */
export interface QueueDepths {
  readonly queues: readonly { name: string; depth: Depth; deadLetters: Depth }[];
  readonly failures: readonly { consumer: string; depth: Depth }[];
}

/** A message looked at without being taken: it stays in its queue. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt?: string;
  readonly receiveCount?: number;
  readonly groupId?: string;
}

export async function depthOf(client: SQSClient, queueUrl: string): Promise<Depth> {
  const out = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export async function queueDepths(client: SQSClient, urls: QueueUrls): Promise<QueueDepths> {
  const queues = await Promise.all(
    Object.entries(urls.queues).map(async ([name, url]) => ({
      name,
      depth: await depthOf(client, url),
      deadLetters: urls.deadLetters[name]
        ? await depthOf(client, urls.deadLetters[name])
        : { visible: 0, inFlight: 0, delayed: 0 },
    })),
  );
  const failures = await Promise.all(
    Object.entries(urls.failures).map(async ([consumer, url]) => ({
      consumer,
      depth: await depthOf(client, url),
    })),
  );
  return { queues, failures };
}

/**
 * Up to `max` messages of a queue, received with no visibility timeout so that they stay
 * available: a peek, not a take (a dead-letter queue has no redrive policy to count receives by).
 */
export async function peekMessages(
  client: SQSClient,
  queueUrl: string,
  max = 10,
): Promise<PeekedMessage[]> {
  const out = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return (out.Messages ?? []).map(toPeeked);
}

function toPeeked(message: Message): PeekedMessage {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    ...(a.SentTimestamp ? { sentAt: new Date(Number(a.SentTimestamp)).toISOString() } : {}),
    ...(a.ApproximateReceiveCount ? { receiveCount: Number(a.ApproximateReceiveCount) } : {}),
    ...(a.MessageGroupId ? { groupId: a.MessageGroupId } : {}),
  };
}

/** Moves a declared queue's dead letters back to it. */
export function redrive(client: SQSClient, urls: QueueUrls, queue: string): Promise<RedriveResult> {
  const sourceUrl = urls.queues[queue];
  if (!sourceUrl) throw new Error(`No queue ${queue}`);
  return redriveDeadLetters({ client, sourceUrl });
}
