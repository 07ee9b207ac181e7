/**
 * Sends messages to one queue in order, in `SendMessageBatch` calls that respect SQS's limits
 * (10 entries, 256 KiB per message and per batch), and sorts every failure into one of two kinds:
 *
 * - **retryable** (throttling, 5xx, network errors, a whole call refused, an entry failed with
 *   `SenderFault: false`): sending stops there; the caller retries from that message on;
 * - **unsendable** (a message over the size limit, an entry refused with `SenderFault: true`, a
 *   content SQS rejects): that message can never be sent; it is reported and skipped.
 *
 * Re-sending after a retryable failure is safe on a FIFO queue: the deduplication ids drop the
 * messages of a batch that did go out.
 */
import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** SQS's limits for `SendMessageBatch` (the 256 KiB ones hold for every queue). */
export const sqsLimits = {
  maxBatchEntries: 10,
  /** One message: body plus attribute names, types and values, in UTF-8 bytes. */
  maxMessageBytes: 262_144,
  /** The sum of a batch's messages. */
  maxBatchBytes: 262_144,
} as const;

export type SqsLimits = { readonly [K in keyof typeof sqsLimits]: number };

export interface OutgoingMessage {
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  /** String message attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface Unsendable {
  /** Index of the message in the list given. */
  readonly index: number;
  readonly reason: string;
}

export interface SendReport {
  /** Index of the first message not known to be sent, after a retryable failure. */
  readonly retryFrom?: number;
  readonly error?: unknown;
  /** Messages SQS can never accept, all before `retryFrom`. */
  readonly unsendable: readonly Unsendable[];
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * What SQS counts against its size limits: the body and every attribute's name, type and value.
 * @internal
 */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = utf8(message.body);
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    bytes += utf8(name) + utf8('String') + utf8(value);
  }
  return bytes;
}

/**
 * @example
 * ```ts
 * const report = await sendInOrder(client, queueUrl, events.map(outgoingMessageOf));
 * if (report.retryFrom !== undefined) return failFrom(report.retryFrom);
 * for (const u of report.unsendable) await setAside(events[u.index], u.reason);
 * ```
 */
export async function sendInOrder(
  client: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  limits: SqsLimits = sqsLimits,
): Promise<SendReport> {
  const unsendable: Unsendable[] = [];
  let batch: { index: number; message: OutgoingMessage }[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<SendReport | undefined> => {
    const sending = batch;
    batch = [];
    batchBytes = 0;
    if (sending.length === 0) return undefined;
    const outcome = await sendBatch(client, queueUrl, sending);
    unsendable.push(...outcome.unsendable);
    return outcome.retryFrom === undefined
      ? undefined
      : { retryFrom: outcome.retryFrom, error: outcome.error, unsendable };
  };
  for (const [index, message] of messages.entries()) {
    const bytes = messageBytes(message);
    if (bytes > limits.maxMessageBytes) {
      unsendable.push({
        index,
        reason: `message of ${bytes} bytes, over the SQS limit of ${limits.maxMessageBytes}`,
      });
      continue;
    }
    if (batch.length >= limits.maxBatchEntries || batchBytes + bytes > limits.maxBatchBytes) {
      const stopped = await flush();
      if (stopped) return stopped;
    }
    batch.push({ index, message });
    batchBytes += bytes;
  }
  return (await flush()) ?? { unsendable };
}

type Entry = { readonly index: number; readonly message: OutgoingMessage };
type BatchOutcome = { retryFrom?: number; error?: unknown; unsendable: Unsendable[] };

async function sendBatch(
  client: SQSClient,
  queueUrl: string,
  batch: readonly Entry[],
): Promise<BatchOutcome> {
  let out: SendMessageBatchCommandOutput;
  try {
    out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((entry, j) => toEntry(String(j), entry.message)),
      }),
    );
  } catch (error) {
    if (!isContentError(error)) return { retryFrom: batch[0]?.index ?? 0, error, unsendable: [] };
    // SQS refused what the batch holds, not the call: one at a time, to find the culprit.
    if (batch.length === 1) {
      return { unsendable: [{ index: batch[0]?.index ?? 0, reason: errorText(error) }] };
    }
    const outcome: BatchOutcome = { unsendable: [] };
    for (const entry of batch) {
      const single = await sendBatch(client, queueUrl, [entry]);
      outcome.unsendable.push(...single.unsendable);
      if (single.retryFrom !== undefined)
        return { ...outcome, ...single, unsendable: outcome.unsendable };
    }
    return outcome;
  }
  const failed = (out.Failed ?? []).map((f) => ({ ...f, at: batch[Number(f.Id)]?.index ?? 0 }));
  const retryable = failed.filter((f) => f.SenderFault !== true).sort((a, b) => a.at - b.at);
  const first = retryable[0];
  const unsendable = failed
    .filter((f) => f.SenderFault === true && (first === undefined || f.at < first.at))
    .map((f) => ({ index: f.at, reason: `${f.Code ?? 'refused'}: ${f.Message ?? ''}` }));
  return first === undefined
    ? { unsendable }
    : {
        retryFrom: first.at,
        error: new Error(
          `SQS failed ${retryable.length} entr(ies): ${first.Code} ${first.Message}`,
        ),
        unsendable,
      };
}

function toEntry(id: string, message: OutgoingMessage): SendMessageBatchRequestEntry {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    attributes[name] = { DataType: 'String', StringValue: value };
  }
  return {
    Id: id,
    MessageBody: message.body,
    ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
    ...(message.deduplicationId === undefined
      ? {}
      : { MessageDeduplicationId: message.deduplicationId }),
    ...(message.attributes ? { MessageAttributes: attributes } : {}),
  };
}

/** Errors about the messages themselves: retrying the same content can never succeed. */
function isContentError(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return /BatchRequestTooLong|InvalidMessageContents|MessageTooLong/.test(name);
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
