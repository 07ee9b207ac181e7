/**
 * A local stand-in for a DynamoDB Streams → Lambda event-source mapping: reads the stream in
 * order, hands the handler Lambda-shaped batches, honours ReportBatchItemFailures, retries with
 * backoff (without limit when the retries are -1, as on AWS), bisects failing batches and sends
 * records that exhaust their retries or their age to an on-failure hook.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { createBackoff, defaultRetryDelay, type RetryDelay } from './retryPolicy.ts';
import {
  type BatchSettings,
  runBatch as runStreamBatch,
  Stopped,
  type StreamFailure,
  type StreamPollerStats,
} from './streamBatch.ts';
import { type StreamHandler, seq } from './streamInvocation.ts';
import { compareSequenceNumbers, toLambdaRecord } from './streamRecords.ts';
import { nextShard, shardIterator } from './streamShards.ts';

export type { StreamFailure, StreamPollerStats } from './streamBatch.ts';
export { isTtlRemoval } from './streamRecords.ts';

/**
 * The stream to poll, the function to call, and the mapping's settings (batch size, retries,
 * maximum record age, bisection, filters, on-failure destination, checkpoint).
 */
export interface StreamPollerOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly handler: StreamHandler;
  /** Records per invocation. Default 100. */
  readonly batchSize?: number;
  /** Retries of a failing batch (or record) before it goes to `onFailure`; -1: no limit. Default 3. */
  readonly maximumRetryAttempts?: number;
  /** Records older than this (by `ApproximateCreationDateTime`) go to `onFailure` once they fail. */
  readonly maximumRecordAgeSeconds?: number;
  /** Backoff between the attempts of a failing batch: exponential with jitter, capped. */
  readonly retryDelayMs?: RetryDelay;
  /** Split a batch in halves when the handler throws, to isolate a poison record. Default true. */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Filter criteria: records it rejects are skipped and count as processed, as on AWS. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
  /** The on-failure destination. */
  readonly onFailure?: (failure: StreamFailure) => Promise<void>;
  /** Where to start when there is no checkpoint. Default TRIM_HORIZON. */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause after an empty read or an error. Default 200 ms. */
  readonly idleDelayMs?: number;
  /** Last processed sequence number, kept across restarts. */
  readonly checkpoint?: {
    load(): Promise<string | undefined>;
    save(sequenceNumber: string): Promise<void>;
  };
  /** Asked between batches: while it answers true, nothing is read (an operator's pause). */
  readonly paused?: () => Promise<boolean>;
  readonly name?: string;
  readonly log?: (message: string) => void;
}

/** A running stream poller: its counts, waiting until it is idle, and `stop()`. */
export interface StreamPoller {
  /** Finishes the invocation in flight, then stops; the checkpoint stays at the last success. */
  stop(): Promise<void>;
  /** Resolves once everything in the stream when called has been processed. */
  idle(): Promise<void>;
  readonly stats: Readonly<StreamPollerStats>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts polling a stream. Shards are read one after another, parents before children: the
 * single checkpoint suits DynamoDB Local's single shard and a lineage of shards, not several
 * shards open at once.
 *
 * @example
 * const poller = startStreamPoller({ client: streams, streamArn, handler, batchSize: 10,
 *   filter: (r) => !isTtlRemoval(r) });
 * await poller.idle();
 * await poller.stop();
 */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, handler } = options;
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maximumRetryAttempts ?? 3;
  const bisect = options.bisectBatchOnFunctionError ?? true;
  const idleDelayMs = options.idleDelayMs ?? 200;
  const maxAgeMs = (options.maximumRecordAgeSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const log = (message: string) => options.log?.(`[${options.name ?? 'stream'}] ${message}`);
  const stats: StreamPollerStats = { delivered: 0, failedBatches: 0, sentToFailure: 0 };

  let stopping = false;
  let finished = false;
  let fetches = 0; // GetRecords calls started, so idle() waits for a read that began after it
  let position: string | undefined; // last sequence number processed
  let waiters: { after: number; resolve: () => void }[] = [];
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const backoff = createBackoff(options.retryDelayMs ?? defaultRetryDelay);
  const caughtUp = (fetchId: number) => {
    const ready = waiters.filter((w) => w.after < fetchId);
    waiters = waiters.filter((w) => w.after >= fetchId);
    for (const w of ready) w.resolve();
  };

  const commit = async (sequenceNumber: string) => {
    if (position !== undefined && compareSequenceNumbers(sequenceNumber, position) <= 0) return;
    position = sequenceNumber;
    await options.checkpoint?.save(sequenceNumber);
  };

  const batch: BatchSettings = {
    handler,
    bisect,
    maxRetries,
    maxAgeMs,
    stats,
    backoff: (failures) => backoff.wait(failures),
    commit,
    ...(options.onFailure ? { onFailure: options.onFailure } : {}),
    stopping: () => stopping,
    log,
  };
  const runBatch = (records: DynamoDBRecord[]) => runStreamBatch(batch, records);

  const processRecords = async (records: DynamoDBRecord[]) => {
    let batch: DynamoDBRecord[] = [];
    for (const record of records) {
      if (options.filter && !options.filter(record)) continue;
      batch.push(record);
      if (batch.length >= batchSize) {
        await runBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await runBatch(batch);
    // Filtered-out records at the end count as processed too.
    const last = records.at(-1);
    if (last) await commit(seq(last));
  };

  /** Reads one shard until it closes (true) or the poller stops (false). */
  const readShard = async (shard: Shard): Promise<boolean> => {
    // Every (re)start of a shard reads after the checkpoint, so an error never skips records.
    let iterator = await shardIterator(
      client,
      streamArn,
      shard,
      position,
      options.startingPosition ?? 'TRIM_HORIZON',
    );
    while (iterator !== undefined) {
      if (stopping) return false;
      if (await options.paused?.()) {
        await sleep(idleDelayMs);
        continue;
      }
      const fetchId = ++fetches;
      const out = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
      if (records.length > 0) await processRecords(records);
      iterator = out.NextShardIterator;
      if (records.length === 0 && iterator !== undefined) {
        caughtUp(fetchId);
        await sleep(idleDelayMs);
      }
    }
    return true;
  };

  const loop = async () => {
    position = await options.checkpoint?.load();
    const done = new Set<string>();
    while (!stopping) {
      try {
        const shard = await nextShard(client, streamArn, done, position);
        if (!shard) {
          caughtUp(fetches + 1);
          await sleep(idleDelayMs);
        } else if (await readShard(shard)) {
          done.add(shard.ShardId ?? '');
        }
      } catch (error) {
        if (error instanceof Stopped || stopping) break;
        log(`error, retrying from the checkpoint: ${errorText(error)}`);
        await sleep(idleDelayMs);
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
    idle: () => {
      if (finished) return Promise.resolve();
      const promise = new Promise<void>((resolve) => waiters.push({ after: fetches, resolve }));
      wake?.(); // no need to sit out the idle delay
      return promise;
    },
    stop: async () => {
      stopping = true;
      wake?.();
      backoff.cancel();
      await running;
    },
  };
}
