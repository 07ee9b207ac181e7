/**
 * What a projection reads back from the journal to heal its own gaps. A document whose stored
 * position is behind the commit being applied would otherwise wait for a redelivery of the
 * missing commits, and after a record was set aside that redelivery never comes: the journal
 * is the system of record, so the projection reads the missing commits from it instead.
 */
import type { EventSchema } from './entity.ts';
import type { Commit, ReadOptions } from './ports.ts';
import type { CommitSpan, ProjectedEvent } from './projection.ts';
import { recordedEvents } from './upcast.ts';

/** Event schemas per entity type: what upcasting needs to read any stream of the journal. */
export type EventSchemasByType = Readonly<Record<string, Readonly<Record<string, EventSchema>>>>;

/** A commit as projections take it: its span and its events, upcast. */
export interface DocumentCommit extends CommitSpan {
  readonly events: readonly ProjectedEvent[];
}

/**
 * The read port: a stream's commits by position. `Journal` (and so `DynamoJournal`) implements
 * it; a projector needs nothing more of the journal.
 */
export interface JournalReader {
  /** Commits whose `from` is greater than `afterPosition`, oldest first, at most `limit`. */
  readAfter(
    streamId: string,
    afterPosition: number,
    options?: ReadOptions & { readonly limit?: number },
  ): Promise<readonly Commit[]>;
}

/** Fills a gap: the commits of `streamId` between `after` and `before` (both excluded). */
export type GapFiller = (
  streamId: string,
  after: number,
  before: number,
) => Promise<readonly DocumentCommit[]>;

/** A commit's events, upcast to their current schemas, as projections see them. */
export function projectedEvents(schemas: EventSchemasByType, commit: Commit): ProjectedEvent[] {
  const ofType = schemas[commit.entityType] ?? {};
  return recordedEvents(ofType, commit).map((event) => ({
    ...event,
    entityType: commit.entityType,
  }));
}

/**
 * A gap filler over the journal: strongly consistent (a commit acknowledged before the one being
 * applied is always seen), bounded (at most one commit per missing position), upcast.
 *
 * @example
 * ```ts
 * const fill = journalGapFiller(new DynamoJournal({ client, tableName }), eventSchemas);
 * await writer.applyDocument(projection, streamId, commits, fill);
 * ```
 */
export function journalGapFiller(reader: JournalReader, schemas: EventSchemasByType): GapFiller {
  return async (streamId, after, before) => {
    if (before <= after + 1) return [];
    const commits = await reader.readAfter(streamId, after, {
      consistent: true,
      limit: before - after - 1,
    });
    return commits
      .filter((c) => c.from < before)
      .map((c) => ({ from: c.from, to: c.to, events: projectedEvents(schemas, c) }));
  };
}
