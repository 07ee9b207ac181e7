/**
 * The event journal on one DynamoDB table: one item per commit, keyed by stream id and the
 * commit's first position; appends are a single conditional PutItem.
 */
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  AppendConflict,
  type Commit,
  CommitTooLargeError,
  type Journal,
  type LoadedCommits,
  type Note,
  type ReadOptions,
  type ScanCursor,
  type ScanPage,
  type StoredSnapshot,
} from '@coffee-es/core';
import { type Item, isCommitItem, itemToCommit } from './codec.ts';
import {
  isConditionalCheckFailed,
  isItemTooLarge,
  isTransactionConflict,
  translateWriteError,
} from './errors.ts';
import { fitCommit, maxItemBytes } from './itemSize.ts';
import {
  findKeyed,
  loadLatest,
  type ReadTarget,
  readAfter,
  readAt,
  readContaining,
} from './journalReads.ts';
import { listStreams, type ScanTarget, scanCommits } from './journalScans.ts';
import { isNoteItem, itemToNote, noteToItem, positionCondition } from './noteItems.ts';

/** One DynamoDB request the journal made, with what it cost. */
export interface JournalRequest {
  readonly operation: 'Query' | 'GetItem' | 'PutItem' | 'Scan';
  readonly capacityUnits: number;
  readonly items: number;
}

/** The client and table of a {@link DynamoJournal}, and what to observe. */
export interface DynamoJournalOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Called after each request with its consumed capacity (metrics, benchmarks). */
  readonly onRequest?: (request: JournalRequest) => void;
  /** The item size limit (DynamoDB's 400 KB by default; smaller in tests). */
  readonly maxItemBytes?: number;
  /** A commit too large with its snapshot was written without it (warn, count). */
  readonly onSnapshotDropped?: (drop: SnapshotDrop) => void;
}

/** A snapshot left off its commit to keep the commit under the item limit. */
export interface SnapshotDrop {
  readonly streamId: string;
  /** The position the snapshot would have been at. */
  readonly position: number;
  /** The commit's size with the snapshot. */
  readonly sizeBytes: number;
  readonly limitBytes: number;
}

/** The conflict a failed conditional write at a position reports, with what holds it. */
function conflictOf(streamId: string, position: number, error: unknown): AppendConflict {
  const existing = (error as { Item?: Item }).Item;
  return new AppendConflict(
    streamId,
    position,
    existing && isCommitItem(existing) ? itemToCommit(existing) : undefined,
    { cause: error, ...(existing && isNoteItem(existing) ? { note: itemToNote(existing) } : {}) },
  );
}

/**
 * The {@link Journal} on one DynamoDB table: one item per commit, keyed by stream id and the
 * commit's first position, appended with one conditional `PutItem`; a load is one newest-first
 * `Query` that stops at the first usable snapshot. A position already written throws
 * `AppendConflict` (with the winning commit); a commit over the item limit,
 * `CommitTooLargeError`; throttling or an unreachable table, `StoreUnavailableError`; a write
 * whose outcome is unknown, `AmbiguousWriteError`.
 *
 * @example
 * ```ts
 * const client = new DynamoDBClient({});
 * const journal = new DynamoJournal({ client, tableName: 'journal' });
 * const counters = new EntityStore(counter, { journal });
 * await counters.execute('c-1', { type: 'Increment', data: { by: 1 } });
 * ```
 */
export class DynamoJournal implements Journal {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #onRequest: (request: JournalRequest) => void;
  readonly #maxItemBytes: number;
  readonly #onSnapshotDropped: (drop: SnapshotDrop) => void;

  constructor(options: DynamoJournalOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#onRequest = options.onRequest ?? (() => {});
    this.#maxItemBytes = options.maxItemBytes ?? maxItemBytes;
    this.#onSnapshotDropped = options.onSnapshotDropped ?? (() => {});
  }

  loadLatest(
    streamId: string,
    isUsable: (snapshot: StoredSnapshot) => boolean,
    options: ReadOptions & { readonly pageSize: number },
  ): Promise<LoadedCommits> {
    return loadLatest(this.#target(), streamId, isUsable, options);
  }

  readAfter(
    streamId: string,
    afterPosition: number,
    options: ReadOptions & { readonly limit?: number } = {},
  ): Promise<readonly Commit[]> {
    return readAfter(this.#target(), streamId, afterPosition, options);
  }

  readContaining(
    streamId: string,
    position: number,
    options: ReadOptions = {},
  ): Promise<Commit | undefined> {
    return readContaining(this.#target(), streamId, position, options);
  }

  readAt(streamId: string, from: number, options: ReadOptions = {}): Promise<Commit | undefined> {
    return readAt(this.#target(), streamId, from, options);
  }

  findKeyed(
    streamId: string,
    idempotencyKey: string,
    range: readonly [lo: number, hi: number],
  ): Promise<Commit | undefined> {
    return findKeyed(this.#target(), streamId, idempotencyKey, range);
  }

  async append(commit: Commit, replacing?: Note): Promise<void> {
    const { item, sizeBytes: size, snapshotDropped } = fitCommit(commit, this.#maxItemBytes);
    if (snapshotDropped) {
      this.#onSnapshotDropped({
        streamId: commit.streamId,
        position: commit.to,
        sizeBytes: snapshotDropped.sizeWithSnapshot,
        limitBytes: this.#maxItemBytes,
      });
    }
    try {
      const out = await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: item,
          ...positionCondition(replacing),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.#report('PutItem', out.ConsumedCapacity?.CapacityUnits, 1);
    } catch (error) {
      if (isConditionalCheckFailed(error) || isTransactionConflict(error)) {
        throw conflictOf(commit.streamId, commit.from, error);
      }
      if (isItemTooLarge(error)) {
        throw new CommitTooLargeError(commit.streamId, size, this.#maxItemBytes, { cause: error });
      }
      throw translateWriteError(error, 'append');
    }
  }

  async writeNote(note: Note, replacing?: Note): Promise<void> {
    try {
      const out = await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: noteToItem(note),
          ...positionCondition(replacing),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.#report('PutItem', out.ConsumedCapacity?.CapacityUnits, 1);
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw conflictOf(note.streamId, note.position, error);
      throw translateWriteError(error, 'writeNote');
    }
  }

  listStreams(
    entityType: string,
    cursor?: ScanCursor,
  ): Promise<{ streamIds: readonly string[]; next?: ScanCursor }> {
    return listStreams(this.#target(), entityType, cursor);
  }

  scan(options: {
    readonly segment: number;
    readonly totalSegments: number;
    readonly entityTypes?: readonly string[];
    readonly cursor?: ScanCursor;
  }): Promise<ScanPage> {
    return scanCommits(this.#target(), options);
  }

  /** Where the reads and scans go, reporting each request's cost as the journal's own. */
  #target(): ReadTarget & ScanTarget {
    return {
      client: this.#client,
      table: this.#table,
      report: (operation, units, items) => this.#report(operation, units, items),
    };
  }

  #report(
    operation: JournalRequest['operation'],
    capacityUnits: number | undefined,
    items: number,
  ) {
    this.#onRequest({ operation, capacityUnits: capacityUnits ?? 0, items });
  }
}
