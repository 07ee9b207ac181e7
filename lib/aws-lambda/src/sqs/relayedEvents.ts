/**
 * The message every consumer of the events queue receives: one per event, built from a commit
 * read off the stream (the relay) or out of the journal (a replay), upcast to the current schemas.
 */
import type { Commit } from '@coffee-es/core';
import { type EventSchemasByType, projectedEvents } from '@coffee-es/core';
import { sqsIdOf } from './ids.ts';
import type { OutgoingMessage } from './sendInOrder.ts';

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

export const eventIdOf = (streamId: string, position: number) => `${streamId}@${position}`;

/**
 * A commit's events as relayed messages, upcast.
 * @throws UnknownEventError for an entity type, event type or version this code does not know
 */
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
 * The SQS message of an event: `MessageGroupId` = stream id (order per entity),
 * `MessageDeduplicationId` = event id, so a copy sent within 5 minutes is dropped by SQS.
 */
export function outgoingMessageOf(event: RelayedEvent): OutgoingMessage {
  return {
    body: JSON.stringify(event),
    groupId: sqsIdOf(event.streamId),
    deduplicationId: sqsIdOf(event.eventId),
    attributes: { eventType: event.type, entityType: event.entityType },
  };
}
