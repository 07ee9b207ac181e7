/**
 * The periodic sweep of a stream consumer's failure destination: a record set aside after its
 * retries is handed to the consumer again, read back from the stream by the sequence numbers the
 * failure notice names, until the consumer takes it; then the notice is deleted. For the
 * projector this repairs documents that received no later commit of their stream (the next
 * commit would have repaired them by itself, reading the journal): applied again, a set-aside
 * commit first fills the document's gap from the journal, and its counters count once.
 *
 * Notices are received without hiding them (visibility 0: an operator or a test may look at
 * them at any time); one that the consumer still refuses is retried after a growing delay, so a
 * poison record costs little. The records must still be in the stream (24 hours on AWS).
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoffCeiling } from '@coffee-es/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers, toLambdaRecord } from './streamRecords.ts';
import { listShards, shardIterator } from './streamShards.ts';

export interface FailureSweepOptions {
  readonly sqs: SQSClient;
  /** The consumer's failure destination. */
  readonly queueUrl: string;
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing.
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** The mapping's filter: records it rejects are not handed over again either. */
  readonly filter: (record: DynamoDBRecord) => boolean;
  readonly everyMs: number;
  /** Longest wait before a refused notice is tried again. Default 1 minute. */
  readonly maxDelayMs?: number;
  readonly log?: (message: string) => void;
}

export interface FailureSweep {
  /** One pass: returns how many set-aside batches the consumer took this time. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Where a failed batch was in the stream. @internal */
export interface BatchInfo {
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/**
 * Starts sweeping every `everyMs`.
 *
 * @example
 * const sweep = startFailureSweep({ sqs, queueUrl, streams, streamArn, handler, filter,
 *   everyMs: 2_000 });
 * await sweep.stop();
 */
export function startFailureSweep(options: FailureSweepOptions): FailureSweep {
  const log = (message: string) => options.log?.(`[failure sweep] ${message}`);
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const refused = new Map<string, { attempts: number; notBefore: number }>();
  let running: Promise<number> | undefined;
  let stopped = false;

  const retry = async (message: Message): Promise<boolean> => {
    const info = batchInfoOf(message.Body);
    if (!info) return false;
    const records = (await readRange(options, info)).filter(options.filter);
    if (records.length === 0) return false; // gone from the stream: nothing left to hand over
    const answer = await options.handler({ Records: records });
    return (answer?.batchItemFailures ?? []).length === 0;
  };
  const sweepOnce = async (): Promise<number> => {
    const out = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    let taken = 0;
    for (const message of out.Messages ?? []) {
      const id = message.MessageId ?? '';
      const state = refused.get(id);
      if (state && state.notBefore > Date.now()) continue;
      const ok = await retry(message).catch(() => false);
      if (!ok) {
        const attempts = (state?.attempts ?? 0) + 1;
        const delay = backoffCeiling({ baseDelayMs: options.everyMs, maxDelayMs }, attempts);
        refused.set(id, { attempts, notBefore: Date.now() + delay });
        continue;
      }
      await options.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      refused.delete(id);
      taken++;
    }
    if (taken > 0) log(`${taken} set-aside batch(es) taken by the consumer`);
    return taken;
  };
  const sweep = () => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) sweep().catch((error: unknown) => log(`sweep failed: ${String(error)}`));
  }, options.everyMs);
  timer.unref();
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

/** @internal */
export function batchInfoOf(body: string | undefined): BatchInfo | undefined {
  try {
    const info = JSON.parse(body ?? '')?.DDBStreamBatchInfo;
    const { startSequenceNumber: start, endSequenceNumber: end } = info ?? {};
    return typeof start === 'string' && typeof end === 'string'
      ? { startSequenceNumber: start, endSequenceNumber: end }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stream's records from `start` to `end` (sequence numbers), in order, Lambda-shaped; none
 * when the stream no longer holds them.
 * @internal
 */
export async function readRange(
  options: Pick<FailureSweepOptions, 'streams' | 'streamArn'>,
  info: BatchInfo,
): Promise<DynamoDBRecord[]> {
  for (const shard of await listShards(options.streams, options.streamArn)) {
    const last = shard.SequenceNumberRange?.EndingSequenceNumber;
    if (last !== undefined && compareSequenceNumbers(last, info.startSequenceNumber) < 0) continue;
    const records = await readShardRange(options, shard, info);
    if (records.length > 0) return records;
  }
  return [];
}

async function readShardRange(
  { streams, streamArn }: Pick<FailureSweepOptions, 'streams' | 'streamArn'>,
  shard: Shard,
  info: BatchInfo,
): Promise<DynamoDBRecord[]> {
  // Straight to the first record when the shard holds it; from the shard's start otherwise.
  let iterator = await streams
    .send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: info.startSequenceNumber,
      }),
    )
    .then(
      (out) => out.ShardIterator,
      () => shardIterator(streams, streamArn, shard, undefined, 'TRIM_HORIZON'),
    );
  const records: DynamoDBRecord[] = [];
  while (iterator) {
    const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const page = out.Records ?? [];
    for (const record of page) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      if (compareSequenceNumbers(sequence, info.endSequenceNumber) > 0) return records;
      if (compareSequenceNumbers(sequence, info.startSequenceNumber) >= 0) {
        records.push(toLambdaRecord(record, streamArn));
      }
    }
    if (page.length === 0) break;
    iterator = out.NextShardIterator;
  }
  return records;
}
