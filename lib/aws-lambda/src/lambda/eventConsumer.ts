/**
 * A consumer of the relayed events (a Lambda on the SQS FIFO queue). Each message is parsed,
 * upcast to the current schema of its event type (a message relayed before a schema change, and
 * redriven from the dead-letter queue after it, is read in the new shape) and handed to `handle`;
 * failures are reported in `batchItemFailures`, and later messages of the failing message's group
 * are held back so that a stream's order survives the retry. SQS delivers at least once: `handle`
 * must make its effect idempotent (the event id is the key).
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { DomainEvent, Entity, EventSchemasByType, EventSource } from '@coffee-es/core';
import { eventSchemasOf, FrameworkError, upcast } from '@coffee-es/core';
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
 * A relayed event of one of the entities `En`, upcast, with its type and data typed: a consumer
 * switches on `type` and reads `data` with no cast.
 */
export type RelayedEventOf<En> =
  En extends Entity<infer _S, infer _C, infer E, infer _R>
    ? E extends DomainEvent
      ? Omit<RelayedEvent, 'type' | 'data'> & { readonly type: E['type']; readonly data: E['data'] }
      : never
    : never;

/** A consumer of the events of the entities it names, typed from them. */
export interface EntityEventConsumerOptions<En> {
  /** The entities whose events are handled (upcast with their schemas); others are skipped. */
  readonly from: readonly En[];
  readonly handle: (event: RelayedEventOf<En>, record: SQSRecord) => Promise<void>;
  readonly onError?: (error: unknown, record: SQSRecord) => void;
}

type Consumer = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * Builds the consumer's Lambda handler: for the events of the entities it names (`from`, typed),
 * or for every event (`schemas`, untyped).
 *
 * @example
 * ```ts
 * export const handler = createEventConsumer({
 *   from: [orderEntity],
 *   handle: async (event) => {
 *     if (event.type === 'OrderPaid') await credit(event.data.customerId, event.data.amount);
 *   },
 * });
 * ```
 *
 * @example
 * ```ts
 * export const handler = createEventConsumer({
 *   schemas: eventSchemas,
 *   handle: async (event) => { if (event.type === 'OrderPaid') await credit(event); },
 * });
 * ```
 */
export function createEventConsumer<En extends EventSource>(
  options: EntityEventConsumerOptions<En>,
): Consumer;
export function createEventConsumer(options: EventConsumerOptions): Consumer;
export function createEventConsumer(
  options: EventConsumerOptions | EntityEventConsumerOptions<EventSource>,
): Consumer {
  const processor = new SqsFifoPartialProcessorAsync();
  const from = 'from' in options ? new Set(options.from.map((entity) => entity.type)) : undefined;
  const schemas = 'from' in options ? eventSchemasOf(options.from) : options.schemas;
  const handle = options.handle as (event: RelayedEvent, record: SQSRecord) => Promise<void>;
  const handleRecord = async (record: SQSRecord) => {
    try {
      const event = parseRelayedEvent(record);
      // Another entity's event: not this consumer's, acknowledged as it is.
      if (from && !from.has(event.entityType)) return;
      await handle(upcastRelayedEvent(schemas, event), record);
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
