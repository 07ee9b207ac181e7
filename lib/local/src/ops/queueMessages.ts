/**
 * Looking at a queue's messages without taking them: each is received hidden for a short while
 * (so that the next receive brings others), then made visible again at once.
 */
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { receiveInput, showAgain } from '@coffee-es/aws-lambda';

/** A message as a peek saw it. */
export interface PeekedMessage {
  readonly messageId: string;
  /** The body as sent (a string; JSON bodies are not parsed). */
  readonly body: string;
  /** Its message attributes, by name: string values, binary ones base64. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Times it was received before this peek (earlier peeks count too). */
  readonly receiveCount: number;
  /** When it was first sent (for a dead letter: to the queue it failed in). */
  readonly sentAt: string;
  /** FIFO queues: its message group. */
  readonly groupId?: string;
}

/** How long a peeked message stays hidden if the peek dies before showing it again. */
const hideSeconds = 10;

/**
 * Up to `max` messages of a queue, left in it. Of a FIFO queue, SQS hands out only the oldest
 * message of each group while that one is hidden: a peek sees the head of every group.
 *
 * @example
 * ```ts
 * const messages = await peekMessages(sqs, deadLetterUrl, { max: 20 });
 * ```
 */
export async function peekMessages(
  client: SQSClient,
  queueUrl: string,
  options: { readonly max?: number } = {},
): Promise<PeekedMessage[]> {
  const messages = await receiveHidden(client, queueUrl, options.max ?? 100);
  await showAgain(client, queueUrl, messages);
  return messages.map(peeked);
}

/**
 * Up to `max` messages, each hidden for a few seconds so that the next receive brings others: the
 * caller shows them again (`showAgain`) or deletes them. On an error, those received are shown.
 */
export async function receiveHidden(
  client: SQSClient,
  queueUrl: string,
  max: number,
  hideFor = hideSeconds,
): Promise<Message[]> {
  const seen = new Map<string, Message>();
  try {
    while (seen.size < max) {
      const out = await client.send(
        new ReceiveMessageCommand({
          ...receiveInput(queueUrl, Math.min(10, max - seen.size), 0),
          VisibilityTimeout: hideFor,
        }),
      );
      const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) break;
      for (const m of fresh) seen.set(m.MessageId ?? '', m);
    }
  } catch (error) {
    await showAgain(client, queueUrl, [...seen.values()]);
    throw error;
  }
  return [...seen.values()];
}

function peeked(m: Message): PeekedMessage {
  const system = m.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    attributes[name] =
      value.StringValue ??
      (value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : '');
  }
  const sent = Number(system.SentTimestamp);
  return {
    messageId: m.MessageId ?? '',
    body: m.Body ?? '',
    attributes,
    // The peek's own receive is in the count.
    receiveCount: Math.max(0, Number(system.ApproximateReceiveCount ?? 1) - 1),
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : '',
    ...(system.MessageGroupId ? { groupId: system.MessageGroupId } : {}),
  };
}

/** The dead-letter queue of a queue, from its redrive policy. */
export async function deadLetterUrlOf(client: SQSClient, sourceUrl: string): Promise<string> {
  const out = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ['RedrivePolicy'] }),
  );
  const policy = out.Attributes?.RedrivePolicy;
  if (!policy) throw new Error(`${sourceUrl} has no dead-letter queue (no redrive policy)`);
  const arn = String((JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn);
  const name = arn.split(':').at(-1) ?? '';
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`Dead-letter queue ${name} not found`);
  return QueueUrl;
}

/** Approximate counts of a queue (SQS updates them lazily). */
export async function depthOf(
  client: SQSClient,
  queueUrl: string,
): Promise<{ readonly visible: number; readonly inFlight: number }> {
  const out = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}
