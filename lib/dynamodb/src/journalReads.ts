/**
 * The journal's reads of one stream, each a `Query` (or `GetItem`) on the stream's partition:
 * the latest commits down to a usable snapshot, the commits after a position, the commit holding
 * a position, the commit written at a position, and a keyed commit in a range.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Commit, LoadedCommits, ReadOptions, StoredSnapshot } from '@coffee-es/core';
import { attr, type Item, isCommitItem, itemToCommit } from './codec.ts';
import { translateReadError } from './errors.ts';

/** The table a read goes to, and where it reports what each request cost. */
export interface ReadTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly report: (
    operation: 'Query' | 'GetItem',
    capacityUnits: number | undefined,
    items: number,
  ) => void;
}

/** Pages of a load after the first one: the snapshot was unusable, so read the rest in bulk. */
const replayPageSize = 1000;

async function query(
  target: ReadTarget,
  operation: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<{ items: Item[]; next: Item | undefined }> {
  try {
    const out = await target.client.send(
      new QueryCommand({
        TableName: target.table,
        ExpressionAttributeNames: { '#pk': attr.pk, '#sk': attr.sk },
        ReturnConsumedCapacity: 'TOTAL',
        ...input,
      }),
    );
    const items = out.Items ?? [];
    target.report('Query', out.ConsumedCapacity?.CapacityUnits, items.length);
    return { items, next: out.LastEvaluatedKey };
  } catch (error) {
    throw translateReadError(error, operation);
  }
}

export async function loadLatest(
  target: ReadTarget,
  streamId: string,
  isUsable: (snapshot: StoredSnapshot) => boolean,
  options: ReadOptions & { readonly pageSize: number },
): Promise<LoadedCommits> {
  const newestFirst: Commit[] = [];
  let requests = 0;
  let cursor: Item | undefined;
  do {
    const page = await query(target, 'load', {
      KeyConditionExpression: '#pk = :pk AND #sk > :zero',
      ExpressionAttributeValues: { ':pk': { S: streamId }, ':zero': { N: '0' } },
      ScanIndexForward: false,
      Limit: requests === 0 ? options.pageSize : replayPageSize,
      ConsistentRead: options.consistent ?? false,
      ...(cursor ? { ExclusiveStartKey: cursor } : {}),
    });
    requests++;
    for (const item of page.items.filter(isCommitItem)) {
      const commit = itemToCommit(item);
      newestFirst.push(commit);
      if ((commit.snapshot && isUsable(commit.snapshot)) || commit.from === 1) {
        return { commits: newestFirst.reverse(), requests };
      }
    }
    cursor = page.next;
  } while (cursor);
  return { commits: newestFirst.reverse(), requests };
}

export async function readAfter(
  target: ReadTarget,
  streamId: string,
  afterPosition: number,
  options: ReadOptions & { readonly limit?: number },
): Promise<readonly Commit[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const commits: Commit[] = [];
  let cursor: Item | undefined;
  do {
    const page = await query(target, 'readAfter', {
      KeyConditionExpression: '#pk = :pk AND #sk > :after',
      ExpressionAttributeValues: {
        ':pk': { S: streamId },
        ':after': { N: String(afterPosition) },
      },
      ConsistentRead: options.consistent ?? false,
      ...(Number.isFinite(limit) ? { Limit: limit - commits.length } : {}),
      ...(cursor ? { ExclusiveStartKey: cursor } : {}),
    });
    commits.push(...page.items.filter(isCommitItem).map(itemToCommit));
    cursor = page.next;
  } while (cursor && commits.length < limit);
  return commits;
}

export async function readContaining(
  target: ReadTarget,
  streamId: string,
  position: number,
  options: ReadOptions,
): Promise<Commit | undefined> {
  const page = await query(target, 'readContaining', {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :one AND :position',
    ExpressionAttributeValues: {
      ':pk': { S: streamId },
      ':one': { N: '1' },
      ':position': { N: String(position) },
    },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: options.consistent ?? false,
  });
  const item = page.items[0];
  const commit = item && isCommitItem(item) ? itemToCommit(item) : undefined;
  return commit && commit.to >= position ? commit : undefined;
}

export async function readAt(
  target: ReadTarget,
  streamId: string,
  from: number,
  options: ReadOptions,
): Promise<Commit | undefined> {
  try {
    const out = await target.client.send(
      new GetItemCommand({
        TableName: target.table,
        Key: { [attr.pk]: { S: streamId }, [attr.sk]: { N: String(from) } },
        ConsistentRead: options.consistent ?? false,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    target.report('GetItem', out.ConsumedCapacity?.CapacityUnits, out.Item ? 1 : 0);
    return out.Item && isCommitItem(out.Item) ? itemToCommit(out.Item) : undefined;
  } catch (error) {
    throw translateReadError(error, 'readAt');
  }
}

export async function findKeyed(
  target: ReadTarget,
  streamId: string,
  idempotencyKey: string,
  range: readonly [lo: number, hi: number],
): Promise<Commit | undefined> {
  let cursor: Item | undefined;
  do {
    const page = await query(target, 'findKeyed', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      FilterExpression: '#ik = :key',
      ExpressionAttributeNames: { '#pk': attr.pk, '#sk': attr.sk, '#ik': attr.idempotencyKey },
      ExpressionAttributeValues: {
        ':pk': { S: streamId },
        ':lo': { N: String(range[0]) },
        ':hi': { N: String(range[1]) },
        ':key': { S: idempotencyKey },
      },
      ...(cursor ? { ExclusiveStartKey: cursor } : {}),
    });
    const found = page.items.find(isCommitItem);
    if (found) return itemToCommit(found);
    cursor = page.next;
  } while (cursor);
  return undefined;
}
