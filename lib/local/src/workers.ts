/**
 * The event-source mappings of the declared system, on this machine: queues (with their
 * dead-letter queues) and a failure queue per stream consumer on the SQS emulator, a stream poller
 * per stream consumer and an SQS poller per queue consumer, each invoking the very handler
 * function Lambda runs, with the declared batch sizes, retries, bisection and filters.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StreamConsumerDeclaration, SystemDeclaration } from '@coffee-es/aws-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { fileCheckpoint } from './checkpoints.ts';
import { type FailureSweep, startFailureSweep } from './failureSweep.ts';
import { type KeptDelivery, keptDelivery, type MemoryQueues } from './keptDelivery.ts';
import { pauseSwitch } from './pauseFiles.ts';
import { type SqsPoller, startSqsPoller } from './sqsPoller.ts';
import {
  isTtlRemoval,
  type StreamFailure,
  type StreamPoller,
  startStreamPoller,
} from './streamPoller.ts';
import type { QueueUrls } from './systemQueues.ts';

export { pauseFiles } from './pauseFiles.ts';

export {
  ensureSystemQueues,
  localFailureQueueName,
  localQueueNames,
  type QueueUrls,
} from './systemQueues.ts';

type Handler = (event: never) => Promise<unknown>;

/**
 * How long stopping waits for the queue consumers to finish what is queued. Only to send less
 * again at the next start: the relay's low-water mark already keeps what is not consumed.
 */
const drainTimeoutMs = 2_000;

export interface WorkersOptions {
  readonly system: SystemDeclaration<never>;
  readonly loadHandler: (code: { entry: string; handler?: string }) => Promise<Handler>;
  readonly sqs: SQSClient;
  readonly queueUrls: QueueUrls;
  readonly streams: { endpoint: string; region: string; accessKeyId: string };
  readonly streamArns: Readonly<Record<string, string | undefined>>;
  /** Keep each stream poller's position here, to resume after a restart. */
  readonly checkpointDir?: string;
  /** Where operators pause stream consumers (see `pauseFiles`). */
  readonly controlDir?: string;
  /**
   * Given when the queues live in this process's memory (the SQS emulator) and a checkpoint
   * directory is set: the positions of consumers that send to queues are then held back until
   * their messages are consumed, and dead letters and failures are kept in `memoryQueues.dir`.
   */
  readonly memoryQueues?: MemoryQueues;
  readonly log?: (message: string) => void;
}

/** The stream and queue workers of a local runtime: their pollers, and pausing or stopping them. */
export interface Workers {
  readonly streamPollers: Readonly<Record<string, StreamPoller>>;
  readonly queuePollers: Readonly<Record<string, SqsPoller>>;
  /** Waits until every worker is idle and a full round delivered nothing new. */
  settle(): Promise<void>;
  /** Pauses a stream consumer; resolves once it is between batches and reads nothing more. */
  pause(consumer: string): Promise<void>;
  resume(consumer: string): void;
  stop(): Promise<void>;
}

export async function startWorkers(options: WorkersOptions): Promise<Workers> {
  const { system, sqs, queueUrls } = options;
  const streamsClient = new DynamoDBStreamsClient({
    endpoint: options.streams.endpoint,
    region: options.streams.region,
    credentials: { accessKeyId: options.streams.accessKeyId, secretAccessKey: 'local' },
  });
  const streamPollers: Record<string, StreamPoller> = {};
  const pauses = new Map<string, { paused: boolean; acknowledged?: () => void }>();
  const queuePollers: Record<string, SqsPoller> = {};
  const kept: KeptDelivery | undefined =
    options.memoryQueues && options.checkpointDir
      ? keptDelivery({
          system,
          queueUrls,
          sqs,
          memory: options.memoryQueues,
          ...logOption(options),
        })
      : undefined;
  const sweeps: FailureSweep[] = [];
  const stopAll = async () => {
    await Promise.all(sweeps.map((s) => s.stop()));
    await Promise.all(Object.values(streamPollers).map((p) => p.stop()));
    // Let the consumers finish what the relay sent (bounded: a poison message may never finish),
    // so that the next start has less to send again.
    const drained = Promise.all(Object.values(queuePollers).map((p) => p.idle()));
    await Promise.race([drained, new Promise((r) => setTimeout(r, drainTimeoutMs).unref())]);
    await Promise.all(Object.values(queuePollers).map((p) => p.stop()));
    await kept?.stop();
    streamsClient.destroy();
  };
  try {
    const restored = await kept?.restore();
    if (restored) options.log?.(`Restored ${restored} dead-lettered or failed message(s)`);
    for (const [name, consumer] of Object.entries(system.streamConsumers)) {
      const streamArn = options.streamArns[consumer.table];
      if (!streamArn)
        throw new Error(`Stream consumer ${name}: table ${consumer.table} has no stream`);
      const handler = await options.loadHandler(consumer);
      const fileSwitch = options.controlDir ? pauseSwitch(options.controlDir, name) : undefined;
      streamPollers[name] = startStreamPoller({
        client: streamsClient,
        streamArn,
        handler: handler as never,
        name,
        batchSize: consumer.batchSize,
        maximumRetryAttempts: consumer.maximumRetryAttempts,
        maximumRecordAgeSeconds: consumer.maximumRecordAgeSeconds,
        bisectBatchOnFunctionError: consumer.bisectBatchOnFunctionError,
        filter: filterOf(consumer),
        idleDelayMs: 100,
        onFailure: async (failure) => {
          await sendFailure(sqs, queueUrls.failures[name] as string, streamArn, failure);
          await kept?.keep(); // on disk before the position moves past the failed records
        },
        ...(options.checkpointDir
          ? { checkpoint: checkpointOf(kept, options.checkpointDir, name) }
          : {}),
        paused: async () => {
          const state = pauses.get(name);
          const byFile = fileSwitch ? await fileSwitch() : false;
          if (state?.paused) state.acknowledged?.();
          return byFile || (state?.paused ?? false);
        },
        ...(options.log ? { log: options.log } : {}),
      });
      if (consumer.sweepFailuresEverySeconds !== undefined) {
        sweeps.push(
          startFailureSweep({
            sqs,
            queueUrl: queueUrls.failures[name] as string,
            streams: streamsClient,
            streamArn,
            handler: handler as never,
            filter: filterOf(consumer),
            everyMs: consumer.sweepFailuresEverySeconds * 1000,
            ...logOption(options),
          }),
        );
      }
    }
    for (const [name, consumer] of Object.entries(system.queueConsumers)) {
      const handler = await options.loadHandler(consumer);
      queuePollers[name] = startSqsPoller({
        client: sqs,
        queueUrl: queueUrls.queues[consumer.queue] as string,
        handler: handler as never,
        name,
        batchSize: consumer.batchSize,
        // Short polls, paced: an idle worker answers `settle()` within a tenth of a second.
        waitTimeSeconds: 0,
        idleDelayMs: 100,
        ...(options.log ? { log: options.log } : {}),
      });
    }
    kept?.start();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const delivered = () =>
    Object.values(streamPollers).reduce((n, p) => n + p.stats.delivered, 0) +
    Object.values(queuePollers).reduce((n, p) => n + p.stats.received, 0);
  return {
    streamPollers,
    queuePollers,
    settle: async () => {
      for (let before = -1; before !== delivered(); ) {
        before = delivered();
        await Promise.all(Object.values(streamPollers).map((p) => p.idle()));
        await Promise.all(Object.values(queuePollers).map((p) => p.idle()));
      }
    },
    pause: (consumer) => {
      if (!streamPollers[consumer]) throw new Error(`No stream consumer ${consumer}`);
      return new Promise<void>((resolve) =>
        pauses.set(consumer, { paused: true, acknowledged: resolve }),
      );
    },
    resume: (consumer) => {
      pauses.delete(consumer);
    },
    stop: stopAll,
  };
}

/** The declared filter criteria (new image), plus what AWS never delivers to one. @internal */
export function filterOf(consumer: StreamConsumerDeclaration<string, string>) {
  const { filter } = consumer;
  return (record: DynamoDBRecord) => {
    if (isTtlRemoval(record)) return false;
    if (!filter) return true;
    const value = record.dynamodb?.NewImage?.[filter.attribute]?.S;
    return value !== undefined && filter.equals.includes(value);
  };
}

/** What Lambda sends to an SQS on-failure destination: where the batch is, not its records. */
async function sendFailure(
  client: SQSClient,
  queueUrl: string,
  streamArn: string,
  failure: StreamFailure,
): Promise<void> {
  const first = failure.records[0]?.dynamodb;
  const last = failure.records.at(-1)?.dynamodb;
  const arrival = (seconds: number | undefined) =>
    new Date((seconds ?? Date.now() / 1000) * 1000).toISOString();
  const body = {
    requestContext: {
      condition: failure.condition,
      approximateInvokeCount: failure.attempts,
    },
    responseContext: { functionError: failure.error },
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: 'local',
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: failure.records.length,
      streamArn,
    },
  };
  await client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }),
  );
}

function checkpointOf(kept: KeptDelivery | undefined, dir: string, name: string) {
  const saved = fileCheckpoint(dir, name);
  return kept ? kept.checkpointFor(name, saved) : saved;
}

const logOption = (options: WorkersOptions) => (options.log ? { log: options.log } : {});
