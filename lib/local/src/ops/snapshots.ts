/**
 * Snapshot backfill (`coffee-es snapshots backfill`): a fresh snapshot, from a replay of all its
 * events, for every stream of a type whose latest snapshot is missing or of an old state schema.
 * Live commands go on meanwhile: a snapshot is written onto an existing commit's item, never the
 * position an append takes, and only where no snapshot of the same or a newer schema is.
 */
import {
  type DomainCommand,
  type DomainEvent,
  type Entity,
  type KeyPolicy,
  replayedSnapshot,
  type StoredSnapshot,
} from '@coffee-es/core';
import {
  backfillSnapshot,
  DynamoJournal,
  type JournalTableRef,
  type SnapshotWriteOutcome,
} from '@coffee-es/dynamodb';

/** How a backfill went, so far or in the end. */
export interface BackfillProgress {
  /** Streams looked at. */
  readonly streams: number;
  /** Snapshots written. */
  readonly written: number;
  /** Streams whose latest snapshot was already of the current state schema. */
  readonly current: number;
  /** Streams whose commit had got a snapshot of this schema or newer by the time of writing. */
  readonly newerKept: number;
  /** Streams whose last commit with the snapshot would exceed the item size limit. */
  readonly tooLarge: readonly string[];
}

/** Options of {@link backfillSnapshots}. */
export interface BackfillOptions {
  /** The EntityStore's idempotency key policy, for the keys the snapshots remember. */
  readonly idempotency?: Partial<KeyPolicy>;
  /** Streams done at once (default 8). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: BackfillProgress) => void;
  /** Stops after the streams under way. */
  readonly signal?: AbortSignal;
}

/**
 * Writes fresh snapshots onto the latest commit of each stream of `entity`'s type whose latest
 * snapshot is missing or not of `entity.stateSchemaVersion`.
 *
 * @example
 * ```ts
 * const done = await backfillSnapshots({ client, tableName }, orderEntity, {
 *   onProgress: (p) => bar.update(p.streams),
 * });
 * console.log(`${done.written} snapshots written`);
 * ```
 */
export async function backfillSnapshots<S, C extends DomainCommand, E extends DomainEvent>(
  table: JournalTableRef,
  entity: Entity<S, C, E>,
  options: BackfillOptions = {},
): Promise<BackfillProgress> {
  const journal = new DynamoJournal({ client: table.client, tableName: table.tableName });
  const concurrency = options.concurrency ?? 8;
  const progress = { streams: 0, written: 0, current: 0, newerKept: 0, tooLarge: [] as string[] };
  const count = (streamId: string, outcome: SnapshotWriteOutcome | 'current') => {
    progress.streams++;
    if (outcome === 'written') progress.written++;
    else if (outcome === 'current') progress.current++;
    else if (outcome === 'too-large') progress.tooLarge.push(streamId);
    else progress.newerKept++; // 'no-commit' cannot be: the commit was just read
    options.onProgress?.({ ...progress, tooLarge: [...progress.tooLarge] });
  };
  const one = async (streamId: string) => {
    const usable = (s: StoredSnapshot) => s.schemaVersion === entity.stateSchemaVersion;
    const loaded = await journal.loadLatest(streamId, usable, { pageSize: 25, consistent: true });
    const first = loaded.commits[0];
    if (!first || (first.snapshot && usable(first.snapshot))) return count(streamId, 'current');
    // Without a usable snapshot the load read back to the stream's start: all its commits.
    const fresh = replayedSnapshot(entity, loaded.commits, options.idempotency);
    if (!fresh) return count(streamId, 'current');
    count(streamId, await backfillSnapshot(table, { streamId, ...fresh }, fresh.snapshot));
  };
  let cursor: Awaited<ReturnType<DynamoJournal['listStreams']>>['next'];
  do {
    const page = await journal.listStreams(entity.type, cursor);
    for (let i = 0; i < page.streamIds.length; i += concurrency) {
      if (options.signal?.aborted) return progress;
      await Promise.all(page.streamIds.slice(i, i + concurrency).map(one));
    }
    cursor = page.next;
  } while (cursor);
  return progress;
}
