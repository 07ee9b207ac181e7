/**
 * A local stand-in for an SQS → Lambda event-source mapping: receives Lambda-shaped batches,
 * deletes only what the handler processed (ReportBatchItemFailures) and leaves failures to the
 * visibility timeout and the queue's redrive policy, as AWS does.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { receiveInput } from '@coffee-es/aws-lambda';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { queueArn as lookUpQueueArn } from './sqsEmulator.ts';

/** The queue to poll, the function to call, and the mapping's batch size and concurrency. */
export interface SqsPollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Looked up when absent. */
  readonly queueArn?: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing.
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Messages per invocation. Default 10. */
  readonly batchSize?: number;
  /** Long-poll wait. Default 1 s. */
  readonly waitTimeSeconds?: number;
  /** Pause after an empty receive; with short polls (`waitTimeSeconds: 0`) it paces the loop. */
  readonly idleDelayMs?: number;
  readonly name?: string;
  readonly log?: (message: string) => void;
}

/** Counts of what an SQS poller received, handled and saw fail. */
export interface SqsPollerStats {
  received: number;
  deleted: number;
  failed: number;
}

/** A running SQS poller: its counts, waiting until it is idle, and `stop()`. */
export interface SqsPoller {
  /** Finishes the invocation in flight, then stops. */
  stop(): Promise<void>;
  /** Resolves once a receive begun after the call came back empty (nothing is then in flight). */
  idle(): Promise<void>;
  readonly stats: Readonly<SqsPollerStats>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts polling a queue.
 *
 * @example
 * const poller = startSqsPoller({ client, queueUrl, handler: async (event) => {
 *   return { batchItemFailures: [] };
 * } });
 * await poller.idle();
 * await poller.stop();
 */
export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const { client, queueUrl, handler } = options;
  const batchSize = options.batchSize ?? 10;
  const log = (message: string) => options.log?.(`[${options.name ?? 'sqs'}] ${message}`);
  const stats: SqsPollerStats = { received: 0, deleted: 0, failed: 0 };
  const abort = new AbortController();
  let stopping = false;
  let finished = false;
  let receives = 0; // receives started, so idle() waits for one that began after it
  let waiters: { after: number; resolve: () => void }[] = [];
  const caughtUp = (receiveId: number) => {
    for (const w of waiters.filter((w) => w.after < receiveId)) w.resolve();
    waiters = waiters.filter((w) => w.after >= receiveId);
  };

  const receive = async (waitTimeSeconds: number, max: number): Promise<Message[]> => {
    const out = await client.send(
      new ReceiveMessageCommand(receiveInput(queueUrl, max, waitTimeSeconds)),
      { abortSignal: abort.signal },
    );
    return out.Messages ?? [];
  };

  /** Up to batchSize messages: one long poll, then short polls while receives come back full. */
  const receiveBatch = async (): Promise<Message[]> => {
    const batch = await receive(options.waitTimeSeconds ?? 1, Math.min(10, batchSize));
    let last = batch.length;
    while (last === 10 && batch.length < batchSize) {
      const more = await receive(0, Math.min(10, batchSize - batch.length));
      batch.push(...more);
      last = more.length;
    }
    return batch;
  };

  /** Invokes the handler, then deletes the successes; failures stay for the redrive policy. */
  const settle = async (records: SQSRecord[]) => {
    let failedIds: Set<string>;
    try {
      const response = await handler({ Records: records });
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      // An identifier that is no message of the batch makes AWS treat the whole batch as failed.
      if ([...failedIds].some((id) => !records.some((r) => r.messageId === id))) {
        failedIds = new Set(records.map((r) => r.messageId));
      }
    } catch (error) {
      log(`handler failed: ${errorText(error)}`);
      failedIds = new Set(records.map((r) => r.messageId));
    }
    // Failures come back after the visibility timeout, then go to the dead-letter queue once
    // maxReceiveCount is reached: re-sending them here would reset that count.
    const succeeded = records.filter((r) => !failedIds.has(r.messageId));
    stats.failed += records.length - succeeded.length;
    await deleteAll(client, queueUrl, succeeded);
    stats.deleted += succeeded.length;
  };

  const loop = async () => {
    const arn = options.queueArn ?? (await lookUpQueueArn(client, queueUrl));
    const region = await client.config.region();
    while (!stopping) {
      try {
        const receiveId = ++receives;
        const messages = await receiveBatch();
        if (messages.length === 0) {
          caughtUp(receiveId);
          if (options.idleDelayMs) await new Promise((r) => setTimeout(r, options.idleDelayMs));
          continue;
        }
        stats.received += messages.length;
        await settle(messages.map((m) => toSqsRecord(m, arn, region)));
      } catch (error) {
        if (stopping) break;
        log(`error: ${errorText(error)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const running = loop()
    .catch((error: unknown) => log(`stopped by an error: ${errorText(error)}`))
    .finally(() => {
      finished = true;
      caughtUp(Number.POSITIVE_INFINITY);
    });

  return {
    stats,
    idle: () =>
      finished
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ after: receives, resolve })),
    stop: async () => {
      stopping = true;
      // Ends a long poll at once. A message the server handed out just then reappears after its
      // visibility timeout, as after a crash.
      abort.abort();
      await running;
    },
  };
}

async function deleteAll(client: SQSClient, queueUrl: string, records: SQSRecord[]) {
  for (let i = 0; i < records.length; i += 10) {
    const chunk = records.slice(i, i + 10);
    const out = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      throw new Error(`DeleteMessageBatch failed: ${out.Failed.map((f) => f.Message).join('; ')}`);
    }
  }
}

/**
 * A received message in the shape Lambda hands a function.
 * @internal
 */
export function toSqsRecord(message: Message, queueArn: string, awsRegion: string): SQSRecord {
  const a = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, v] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: v.DataType ?? 'String',
      ...(v.StringValue === undefined ? {} : { stringValue: v.StringValue }),
      ...(v.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(v.BinaryValue).toString('base64') }),
      stringListValues: v.StringListValues ?? [],
      binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ...a,
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion,
  };
}
