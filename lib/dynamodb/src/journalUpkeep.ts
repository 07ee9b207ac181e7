/**
 * The journal's operator requests: a stream's version, and a snapshot written afterwards onto
 * one of its commits (`coffee-es snapshots backfill`). A snapshot rides on its commit's item, so
 * writing one never touches the item an append writes (the next position): live commands are
 * never blocked by it nor conflict with it.
 */
import {
  type DynamoDBClient,
  QueryCommand,
  ReturnValuesOnConditionCheckFailure,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { StoredSnapshot } from '@coffee-es/core';
import { attr, itemKind, snapshotAttributes } from './codec.ts';
import {
  isConditionalCheckFailed,
  isItemTooLarge,
  translateReadError,
  translateWriteError,
} from './errors.ts';

/** The journal table an operator request goes to. */
export interface JournalTableRef {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * The stream's version (the position of its last event), or 0 when it has no commit: one query
 * of the stream's newest items (a note may sit above the last commit, never more than one).
 *
 * @example
 * ```ts
 * const version = await streamVersion({ client, tableName: 'journal' }, 'Order#o-1');
 * ```
 */
export async function streamVersion(table: JournalTableRef, streamId: string): Promise<number> {
  try {
    const out = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk > :zero',
        ExpressionAttributeNames: {
          '#pk': attr.pk,
          '#sk': attr.sk,
          '#kind': attr.kind,
          '#to': attr.to,
        },
        ExpressionAttributeValues: { ':pk': { S: streamId }, ':zero': { N: '0' } },
        ProjectionExpression: '#kind, #to',
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    const commit = (out.Items ?? []).find((item) => item[attr.kind]?.S === itemKind.commit);
    return commit ? Number(commit[attr.to]?.N ?? 0) : 0;
  } catch (error) {
    throw translateReadError(error, 'streamVersion');
  }
}

/**
 * What became of a backfilled snapshot: written; kept out because the commit already carries
 * one of this schema or a newer one (another backfill, or a newer deployment, was first); the
 * commit is not there; or the commit with the snapshot would exceed the item size limit.
 */
export type SnapshotWriteOutcome = 'written' | 'newer-kept' | 'no-commit' | 'too-large';

/**
 * Writes `snapshot` onto the commit of `streamId` at `from` (ending at `to`), on the condition
 * that the commit carries no snapshot of the same or a newer state schema: an older snapshot
 * never replaces a newer one. The item is marked as backfilled, so that the stream consumers
 * skip the update the stream reports (they saw the commit when it was written).
 *
 * @example
 * ```ts
 * const fresh = replayedSnapshot(orderEntity, commits);
 * if (fresh) await backfillSnapshot(table, { streamId, from: fresh.from, to: fresh.to }, fresh.snapshot);
 * ```
 */
export async function backfillSnapshot(
  table: JournalTableRef,
  commit: { readonly streamId: string; readonly from: number; readonly to: number },
  snapshot: StoredSnapshot,
  now: () => Date = () => new Date(),
): Promise<SnapshotWriteOutcome> {
  const attributes = snapshotAttributes(snapshot);
  try {
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { [attr.pk]: { S: commit.streamId }, [attr.sk]: { N: String(commit.from) } },
        UpdateExpression: 'SET #snap = :snap, #sv = :sv, #bf = :bf',
        ConditionExpression:
          '#kind = :commit AND #to = :to AND (attribute_not_exists(#sv) OR #sv < :sv)',
        ExpressionAttributeNames: {
          '#snap': attr.snapshot,
          '#sv': attr.snapshotVersion,
          '#bf': attr.snapshotBackfilledAt,
          '#kind': attr.kind,
          '#to': attr.to,
        },
        ExpressionAttributeValues: {
          ':snap': attributes[attr.snapshot] as { S: string },
          ':sv': attributes[attr.snapshotVersion] as { N: string },
          ':bf': { S: now().toISOString() },
          ':commit': { S: itemKind.commit },
          ':to': { N: String(commit.to) },
        },
        ReturnValuesOnConditionCheckFailure: ReturnValuesOnConditionCheckFailure.ALL_OLD,
      }),
    );
    return 'written';
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      const old = (error as { Item?: Record<string, unknown> }).Item;
      return old && (old[attr.kind] as { S?: string } | undefined)?.S === itemKind.commit
        ? 'newer-kept'
        : 'no-commit';
    }
    if (isItemTooLarge(error)) return 'too-large';
    throw translateWriteError(error, 'backfillSnapshot');
  }
}
