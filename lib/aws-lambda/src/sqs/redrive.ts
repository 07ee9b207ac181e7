/**
 * Dead-letter redrive: sends the messages of a dead-letter queue back to their source queue.
 * `StartMessageMoveTask` where SQS offers it; otherwise (the local emulator has no move tasks)
 * by hand, message by message: same body, group and attributes, a new deduplication id, and the
 * delete only after the send, so a crash in between duplicates rather than loses a message.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { redriveDeduplicationId } from './ids.ts';
import { receiveInput, showAgain } from './receive.ts';

/** How a dead-letter redrive went: by a move task, or by hand (and how many messages). */
export interface RedriveResult {
  readonly method: 'move-task' | 'by-hand';
  /** Messages moved (by hand), or that the move task will move. */
  readonly messages: number;
}

/**
 * Re-drives the dead-letter queue of `sourceUrl` (found from its redrive policy) back into it.
 *
 * @example
 * ```ts
 * const { method, messages } = await redriveDeadLetters({ client, sourceUrl: eventsQueueUrl });
 * ```
 */
export async function redriveDeadLetters(options: {
  client: SQSClient;
  sourceUrl: string;
  /** Stops a redrive by hand after the message it is moving (an operator's Ctrl-C). */
  signal?: AbortSignal;
}): Promise<RedriveResult> {
  const { client, sourceUrl, signal } = options;
  const attributes = await queueAttributes(client, sourceUrl, ['QueueArn', 'RedrivePolicy']);
  const policy = attributes.RedrivePolicy;
  if (!policy) throw new Error(`${sourceUrl} has no dead-letter queue (no redrive policy)`);
  const dlqArn = String(
    (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn,
  );
  const dlqName = dlqArn.split(':').at(-1) ?? '';
  const { QueueUrl: dlqUrl } = await client.send(new GetQueueUrlCommand({ QueueName: dlqName }));
  if (!dlqUrl) throw new Error(`Dead-letter queue ${dlqName} not found`);
  try {
    const dlq = await queueAttributes(client, dlqUrl, ['ApproximateNumberOfMessages']);
    await client.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: attributes.QueueArn }),
    );
    return { method: 'move-task', messages: Number(dlq.ApproximateNumberOfMessages ?? 0) };
  } catch (error) {
    if (!isUnsupported(error)) throw error;
    const moved = await redriveByHand({ client, dlqUrl, sourceUrl, ...(signal ? { signal } : {}) });
    return { method: 'by-hand', messages: moved };
  }
}

/** SQS without move tasks (the emulator), or a queue type a move task does not take. */
function isUnsupported(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  return (
    /InvalidAction|UnsupportedOperation|UnknownOperation|InvalidParameterValue/.test(name) ||
    /not supported|unsupported|InvalidAction/i.test(message)
  );
}

async function queueAttributes(client: SQSClient, queueUrl: string, names: string[]) {
  const out = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: names as QueueAttributeName[],
    }),
  );
  return out.Attributes ?? {};
}

/**
 * Moves every message of a dead-letter queue back to its source queue, by hand, because fauxqs
 * has no StartMessageMoveTask: same body, group and attributes, a new deduplication id (the old
 * one is still in the dedup window), then deletes it from the dead-letter queue. Aborted through
 * `signal`, it finishes the message it is moving and makes the others it holds visible again at
 * once, so that a run started right after finds them all.
 *
 * @example
 * const moved = await redriveByHand({ client, dlqUrl: urls['relay-dlq.fifo'], sourceUrl: urls['relay.fifo'] });
 * @internal
 */
export async function redriveByHand(options: {
  client: SQSClient;
  dlqUrl: string;
  sourceUrl: string;
  signal?: AbortSignal;
}): Promise<number> {
  const { client, dlqUrl, sourceUrl, signal } = options;
  const fifo = sourceUrl.endsWith('.fifo');
  let moved = 0;
  while (!signal?.aborted) {
    const out = await client.send(new ReceiveMessageCommand(receiveInput(dlqUrl, 10, 0)));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return moved;
    for (const [i, m] of messages.entries()) {
      if (signal?.aborted) {
        await showAgain(client, dlqUrl, messages.slice(i));
        return moved;
      }
      const attributes = m.Attributes ?? {};
      const group = attributes.MessageGroupId;
      // A new id (the old one may still be in the 5-minute window), hashed to fit 128 characters.
      const dedup = redriveDeduplicationId(
        attributes.MessageDeduplicationId ?? m.MessageId ?? '',
        Date.now(),
      );
      await client.send(
        new SendMessageCommand({
          QueueUrl: sourceUrl,
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes ? { MessageAttributes: sendable(m.MessageAttributes) } : {}),
          ...(fifo ? { MessageGroupId: group ?? 'redrive', MessageDeduplicationId: dedup } : {}),
        }),
      );
      // Deleted only after the send: a crash in between duplicates rather than loses a message.
      await client.send(
        new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle }),
      );
      moved += 1;
    }
  }
  return moved;
}

/** Received attributes may carry empty list fields that SendMessage rejects. */
function sendable(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, v] of Object.entries(attributes)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue === undefined ? {} : { StringValue: v.StringValue }),
      ...(v.BinaryValue === undefined ? {} : { BinaryValue: v.BinaryValue }),
    };
  }
  return out;
}
