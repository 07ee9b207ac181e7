/**
 * Reading one entity's stream as an operator: its events upcast, with positions, times and the
 * command metadata of their commits (`coffee-es events`), followed as it grows, and the state as
 * it was at a position or a time, folded from the events (`coffee-es state`). No output, no argv:
 * the CLI and the console call these.
 */
import {
  type Commit,
  type DomainCommand,
  type DomainEvent,
  type Entity,
  EntityStore,
  type EventSchemasByType,
  type Journal,
  projectedEvents,
  streamIdOf,
  upcast,
} from '@coffee-es/core';

/** An event as an operator reads it: upcast, where it stands, and the command that wrote it. */
export interface StreamEvent {
  readonly streamId: string;
  readonly entityType: string;
  readonly position: number;
  readonly type: string;
  /** The schema version of `data` (the current one, after upcasting). */
  readonly schemaVersion: number;
  /** The schema version it was written with. */
  readonly storedSchemaVersion: number;
  readonly data: unknown;
  readonly recordedAt: string;
  /** The commit it came with: its span and the metadata of the command. */
  readonly commit: CommitMetadata;
}

/** What a commit holds about the command that wrote it. */
export interface CommitMetadata {
  readonly from: number;
  readonly to: number;
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  readonly tags?: readonly string[];
  /** Whether the commit carries a snapshot, and of which state schema. */
  readonly snapshotSchemaVersion?: number;
}

/** The reads of the journal these need. */
export type StreamReader = Pick<Journal, 'readAfter' | 'readContaining'>;

const pageSize = 100;

function metadataOf(commit: Commit): CommitMetadata {
  return {
    from: commit.from,
    to: commit.to,
    commandId: commit.commandId,
    ...(commit.correlationId === undefined ? {} : { correlationId: commit.correlationId }),
    ...(commit.causationId === undefined ? {} : { causationId: commit.causationId }),
    ...(commit.idempotencyKey === undefined ? {} : { idempotencyKey: commit.idempotencyKey }),
    ...(commit.tags === undefined ? {} : { tags: commit.tags }),
    ...(commit.snapshot ? { snapshotSchemaVersion: commit.snapshot.schemaVersion } : {}),
  };
}

/** A commit's events as {@link StreamEvent}s (upcast; throws UnknownEventError where one cannot be). */
export function streamEventsOf(schemas: EventSchemasByType, commit: Commit): StreamEvent[] {
  const metadata = metadataOf(commit);
  return projectedEvents(schemas, commit).map((event, i) => ({
    streamId: commit.streamId,
    entityType: commit.entityType,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    storedSchemaVersion: commit.events[i]?.schemaVersion ?? event.schemaVersion,
    data: event.data,
    recordedAt: commit.recordedAt,
    commit: metadata,
  }));
}

/**
 * The events of one entity from position `from` (default 1) on, oldest first, a page of
 * commits at a time (constant memory however long the stream). Strongly consistent reads.
 *
 * @example
 * ```ts
 * for await (const event of readEvents(journal, eventSchemas, 'Order', 'o-1', { from: 3 })) {
 *   console.log(event.position, event.type, event.commit.commandId);
 * }
 * ```
 */
export async function* readEvents(
  journal: StreamReader,
  schemas: EventSchemasByType,
  entityType: string,
  entityId: string,
  options: { readonly from?: number } = {},
): AsyncGenerator<StreamEvent> {
  const streamId = streamIdOf(entityType, entityId);
  const from = options.from ?? 1;
  // The commit holding `from` may start before it.
  const first =
    from > 1 ? await journal.readContaining(streamId, from, { consistent: true }) : undefined;
  let after = first ? first.to : from - 1;
  if (first) yield* streamEventsOf(schemas, first).filter((e) => e.position >= from);
  for (;;) {
    const commits = await journal.readAfter(streamId, after, { consistent: true, limit: pageSize });
    for (const commit of commits) {
      yield* streamEventsOf(schemas, commit).filter((e) => e.position >= from);
      after = commit.to;
    }
    if (commits.length < pageSize) return;
  }
}

/**
 * Like {@link readEvents}, then keeps polling every `pollMs` (default 500) for new events until
 * `signal` aborts; resolves (no error) when it does.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * process.once('SIGINT', () => stop.abort());
 * for await (const e of followEvents(journal, schemas, 'Order', 'o-1', { signal: stop.signal })) print(e);
 * ```
 */
export async function* followEvents(
  journal: StreamReader,
  schemas: EventSchemasByType,
  entityType: string,
  entityId: string,
  options: { readonly from?: number; readonly pollMs?: number; readonly signal: AbortSignal },
): AsyncGenerator<StreamEvent> {
  let next = options.from ?? 1;
  const { signal } = options;
  while (!signal.aborted) {
    for await (const event of readEvents(journal, schemas, entityType, entityId, { from: next })) {
      yield event;
      next = event.position + 1;
      if (signal.aborted) return;
    }
    await pause(options.pollMs ?? 500, signal);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A point in a stream's history: after the event at a position, or as of a time. */
export type HistoryPoint = { readonly position: number } | { readonly time: Date };

/** An entity's state at a point: the position it had reached, and when that event was written. */
export interface StateAt<S = unknown> {
  readonly state: S;
  /** The position of the last event folded in (0: none yet). */
  readonly version: number;
  /** When that event was written (undefined at version 0). */
  readonly recordedAt?: string;
  /** The stream's version now (positions past it do not exist yet). */
  readonly latest: number;
}

/**
 * The entity's state as it was at `at`: `entity.evolve` folded over its events (upcast) up to
 * that position, or those written at or before that time, from the initial state. Snapshots are
 * not used: this is the events' own account. Reads a page of commits at a time.
 *
 * @example
 * ```ts
 * const then = await stateAt(journal, orderEntity, 'o-1', { position: 3 });
 * const before = await stateAt(journal, orderEntity, 'o-1', { time: new Date('2026-12-01T10:00:00Z') });
 * ```
 */
export async function stateAt<S, C extends DomainCommand, E extends DomainEvent>(
  journal: StreamReader,
  entity: Entity<S, C, E>,
  entityId: string,
  at: HistoryPoint,
): Promise<StateAt<S>> {
  const streamId = streamIdOf(entity.type, entityId);
  const included =
    'position' in at
      ? (_commit: Commit, position: number) => position <= at.position
      : (commit: Commit) => Date.parse(commit.recordedAt) <= at.time.getTime();
  let state = entity.initialState();
  let version = 0;
  let recordedAt: string | undefined;
  let latest = 0;
  for (let after = 0; ; ) {
    const commits = await journal.readAfter(streamId, after, { consistent: true, limit: pageSize });
    for (const commit of commits) {
      commit.events.forEach((stored, i) => {
        const position = commit.from + i;
        if (position !== version + 1 || !included(commit, position)) return;
        state = entity.evolve(state, upcast<E>(entity.events, streamId, position, stored));
        version = position;
        recordedAt = commit.recordedAt;
      });
      latest = commit.to;
      after = commit.to;
    }
    if (commits.length < pageSize) break;
  }
  return { state, version, latest, ...(recordedAt === undefined ? {} : { recordedAt }) };
}

/** The entity's current state and version through an EntityStore (snapshots and all), if any. */
export async function currentState<S, C extends DomainCommand, E extends DomainEvent>(
  journal: Journal,
  entity: Entity<S, C, E>,
  entityId: string,
): Promise<{ readonly state: S; readonly version: number } | undefined> {
  return new EntityStore(entity, { journal, cacheSize: 1 }).get(entityId, { consistent: true });
}
