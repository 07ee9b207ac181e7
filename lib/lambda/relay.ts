/**
 * The relay: the journal stream is the outbox. Every event of every commit goes to an SQS FIFO
 * queue, `MessageGroupId` = stream id (order per entity), `MessageDeduplicationId` = stream id +
 * position, ten to a `SendMessageBatch`. No dual write anywhere: a command only writes its commit.
 *
 * Order matters within a stream, so when SQS refuses a batch the first record not sent is reported
 * together with every record after it; the event-source mapping retries from there. A record that
 * cannot be read at all fails the invocation instead, so that bisection isolates it.
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Commit } from '../core/ports.ts';
import {
  decodeJournalRecord,
  type EventSchemasByType,
  projectedEvents,
} from '../dynamodb/streamDecoder.ts';

/** The message body every consumer receives. */
export interface RelayedEvent {
  /** `streamId@position`: unique per event, the consumers' de-duplication key. */
  readonly eventId: string;
  readonly streamId: string;
  readonly entityType: string;
  readonly position: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly recordedAt: string;
  readonly commandId: string;
  readonly correlationId?: string;
}

export interface RelayOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly schemas: EventSchemasByType;
  readonly onError?: (error: unknown, where: string) => void;
}

export const eventIdOf = (streamId: string, position: number) => `${streamId}@${position}`;

/** SQS allows 128 characters for group and deduplication ids; longer ids are hashed. */
export function sqsIdOf(id: string): string {
  return id.length <= 128 ? id : createHash('sha256').update(id).digest('hex');
}

export function relayedEvents(schemas: EventSchemasByType, commit: Commit): RelayedEvent[] {
  return projectedEvents(schemas, commit).map((event) => ({
    eventId: eventIdOf(event.streamId, event.position),
    streamId: event.streamId,
    entityType: commit.entityType,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    recordedAt: event.recordedAt,
    commandId: commit.commandId,
    ...(commit.correlationId === undefined ? {} : { correlationId: commit.correlationId }),
  }));
}

/**
 * Builds the relay's Lambda handler. Messages of consecutive records share batches of ten.
 *
 * @example
 * ```ts
 * export const handler = createRelay({ client: new SQSClient({}), queueUrl, schemas });
 * ```
 */
export function createRelay(options: RelayOptions) {
  return async function relay(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const records = event.Records;
    const failFrom = (index: number, error: unknown): DynamoDBBatchResponse => {
      options.onError?.(error, records[index]?.dynamodb?.SequenceNumber ?? '?');
      return {
        batchItemFailures: records
          .slice(index)
          .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })),
      };
    };
    const pending: { index: number; message: RelayedEvent }[] = [];
    const flush = async (upTo: number) => {
      while (pending.length >= upTo && pending.length > 0) {
        const chunk = pending.splice(0, 10);
        try {
          await sendBatch(
            options,
            chunk.map((p) => p.message),
          );
        } catch (error) {
          return failFrom((chunk[0] as { index: number }).index, error);
        }
      }
      return undefined;
    };
    for (let index = 0; index < records.length; index++) {
      let messages: RelayedEvent[];
      try {
        const change = decodeJournalRecord(records[index] as DynamoDBRecord);
        messages = change?.kind === 'commit' ? relayedEvents(options.schemas, change.commit) : [];
      } catch (error) {
        // A record that cannot be read is a poison, not a delivery problem: failing the
        // invocation lets the mapping bisect the batch down to it and set it aside, while a
        // partial answer ("from here on") would drag every later record down with it.
        const failure = await flush(1);
        if (failure) return failure;
        options.onError?.(error, records[index]?.dynamodb?.SequenceNumber ?? '?');
        throw error;
      }
      for (const message of messages) pending.push({ index, message });
      const failure = await flush(10);
      if (failure) return failure;
    }
    return (await flush(1)) ?? { batchItemFailures: [] };
  };
}

async function sendBatch(options: RelayOptions, messages: readonly RelayedEvent[]): Promise<void> {
  const out = await options.client.send(
    new SendMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: messages.map((message, j) => ({
        Id: String(j),
        MessageBody: JSON.stringify(message),
        MessageGroupId: sqsIdOf(message.streamId),
        MessageDeduplicationId: sqsIdOf(message.eventId),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: message.type },
          entityType: { DataType: 'String', StringValue: message.entityType },
        },
      })),
    }),
  );
  const failed = out.Failed ?? [];
  if (failed.length > 0) {
    // Re-sending the whole batch is safe: the deduplication ids drop what already went out.
    const first = failed[0];
    throw new Error(`SQS refused ${failed.length} message(s): ${first?.Code} ${first?.Message}`);
  }
}
