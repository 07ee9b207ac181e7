import type { DomainEvent, EventSchema } from './entity.ts';
import { UnknownEventError } from './errors.ts';
import type { Commit, StoredEvent } from './ports.ts';

/** An event read back from the journal: upcast to its current schema, with where it stands. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  readonly position: number;
  readonly type: E['type'];
  /** The schema version the data now has (the current one). */
  readonly schemaVersion: number;
  readonly data: E['data'];
  readonly recordedAt: string;
}

type EventSchemas = Readonly<Record<string, EventSchema>>;

/**
 * Turns a stored event into the current schema of its type through the upcaster chain.
 * Every read path (load, audit trail, projections, relay, rebuilds) goes through here.
 *
 * @throws UnknownEventError naming the stream and position for an unknown type or version
 */
export function upcast<E extends DomainEvent>(
  schemas: EventSchemas,
  streamId: string,
  position: number,
  stored: StoredEvent,
): E {
  const schema = schemas[stored.type];
  const fail = (reason: string) =>
    new UnknownEventError(streamId, position, stored.type, stored.schemaVersion, reason);
  if (!schema) throw fail('unknown event type');
  if (!Number.isInteger(stored.schemaVersion) || stored.schemaVersion < 1) {
    throw fail('invalid schema version');
  }
  if (stored.schemaVersion > schema.version) throw fail('schema version newer than this code');
  let data = stored.data;
  for (let v = stored.schemaVersion; v < schema.version; v++) {
    const step = schema.upcasters?.[v];
    if (!step) throw fail(`no upcaster from v${v}`);
    data = step(data);
  }
  return { type: stored.type, data } as E;
}

/** All events of a commit, upcast, with their positions. */
export function recordedEvents<E extends DomainEvent>(
  schemas: EventSchemas,
  commit: Commit,
): RecordedEvent<E>[] {
  return commit.events.map((stored, i) => {
    const position = commit.from + i;
    const event = upcast<E>(schemas, commit.streamId, position, stored);
    return {
      streamId: commit.streamId,
      position,
      type: event.type,
      schemaVersion: schemas[stored.type]?.version ?? stored.schemaVersion,
      data: event.data,
      recordedAt: commit.recordedAt,
    };
  });
}
