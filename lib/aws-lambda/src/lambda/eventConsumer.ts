/**
 * A consumer of the relayed events (a Lambda on the SQS FIFO queue). Each message is parsed,
 * upcast to the current schema of its event type (a message relayed before a schema change, and
 * redriven from the dead-letter queue after it, is read in the new shape) and handed to `handle`;
 * failures are reported in `batchItemFailures`, and later messages of the failing message's group
 * are held back so that a stream's order survives the retry. SQS delivers at least once: `handle`
 * must make its effect idempotent (the event id is the key).
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { EventSchemasByType } from '@coffee-es/core';
import { FrameworkError, upcast } from '@coffee-es/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../schema.ts';
import type { RelayedEvent } from '../sqs/relayedEvents.ts';

const nonEmpty = z.string().check(z.minLength(1));

const relayedEventSchema = z.object({
  eventId: nonEmpty,
  streamId: nonEmpty,
  entityType: nonEmpty,
  position: z.int().check(z.positive()),
  type: nonEmpty,
  schemaVersion: z.int().check(z.positive()),
  data: z.unknown(),
  recordedAt: z.string(),
  commandId: z.string(),
  correlationId: z.optional(z.string()),
});

/** Raised for a message that is not a relayed event: it will end in the dead-letter queue. */
export class MalformedMessageError extends FrameworkError {
  readonly code = 'malformed-message';
  constructor(
    readonly messageId: string,
    reason: string,
  ) {
    super(`Message ${messageId} is not a relayed event: ${reason}`);
    this.name = 'MalformedMessageError';
  }
}

export function parseRelayedEvent(record: Pick<SQSRecord, 'body' | 'messageId'>): RelayedEvent {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new MalformedMessageError(record.messageId, 'the body is not JSON');
  }
  const parsed = relayedEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedMessageError(record.messageId, parsed.error.issues[0]?.message ?? '');
  }
  const { correlationId, ...rest } = parsed.data;
  return { ...rest, ...(correlationId === undefined ? {} : { correlationId }) };
}

/**
 * The event in the current schema of its type, whatever version it was relayed in.
 * @throws UnknownEventError for a type or version this code does not know (the message fails)
 */
export function upcastRelayedEvent(schemas: EventSchemasByType, event: RelayedEvent): RelayedEvent {
  const ofType = schemas[event.entityType] ?? {};
  const { data } = upcast(ofType, event.streamId, event.position, {
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
  });
  return { ...event, data, schemaVersion: ofType[event.type]?.version ?? event.schemaVersion };
}

/** The event schemas to upcast with, and what to do with each relayed event. */
export interface EventConsumerOptions {
  /** The event schemas per entity type: every message is upcast with them. */
  readonly schemas: EventSchemasByType;
  readonly handle: (event: RelayedEvent, record: SQSRecord) => Promise<void>;
  readonly onError?: (error: unknown, record: SQSRecord) => void;
}

/**
 * Builds the consumer's Lambda handler.
 *
 * @example
 * ```ts
 * export const handler = createEventConsumer({
 *   schemas: eventSchemas,
 *   handle: async (event) => { if (event.type === 'OrderPaid') await credit(event); },
 * });
 * ```
 */
export function createEventConsumer(options: EventConsumerOptions) {
  const processor = new SqsFifoPartialProcessorAsync();
  const handleRecord = async (record: SQSRecord) => {
    try {
      await options.handle(upcastRelayedEvent(options.schemas, parseRelayedEvent(record)), record);
    } catch (error) {
      options.onError?.(error, record);
      throw error;
    }
  };
  return async function consume(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
    return processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  };
}
