/**
 * The read-model store port over one DynamoDB table: documents by a condition on the position
 * they hold, counters by a marker written in the same transaction as the addition. The live
 * projector and rebuilds go through the same writes, so they can run side by side without
 * double counting; query handlers read through the same class.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type CounterEntry,
  type Document,
  type DocumentWrite,
  documentMeta,
  type ItemQuery,
  type ProjectionStatusUpdate,
  type ReadModelKey,
  type ReadModelStore,
  type StoredItem,
} from '@coffee-es/core';
import { addCountersOnce } from './counterWrites.ts';
import { isConditionalCheckFailed, translateReadError } from './errors.ts';
import { dropByPrefix } from './readModelDrop.ts';

/**
 * The {@link ReadModelStore} on a DynamoDB table: a document is written under a condition on the
 * position it holds, a counter addition in one transaction with its marker, so redeliveries and a
 * rebuild running beside the projector count nothing twice. Throttling or an unreachable table
 * throws `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * const store = new DynamoReadModelStore(client, 'coffee-read-models');
 * await projectCommit(store, projections, schemas, commit);
 * const entries = await orderHistory.query(store, 'c1', { newestFirst: true });
 * ```
 */
export class DynamoReadModelStore implements ReadModelStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getItem(key: ReadModelKey): Promise<StoredItem | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }),
      );
      return out.Item ? storedItem(unmarshall(out.Item)) : undefined;
    } catch (error) {
      throw translateReadError(error, 'GetItem');
    }
  }

  async queryItems(pk: string, query: ItemQuery = {}): Promise<readonly StoredItem[]> {
    const items: StoredItem[] = [];
    let cursor: Record<string, never> | undefined;
    do {
      try {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': 'pk' },
            ExpressionAttributeValues: { ':pk': { S: pk } },
            ScanIndexForward: !query.newestFirst,
            ...(query.limit === undefined ? {} : { Limit: query.limit - items.length }),
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        for (const raw of out.Items ?? []) items.push(storedItem(unmarshall(raw)));
        cursor = out.LastEvaluatedKey as Record<string, never> | undefined;
      } catch (error) {
        throw translateReadError(error, 'Query');
      }
    } while (cursor && (query.limit === undefined || items.length < query.limit));
    return items;
  }

  async putDocument(key: ReadModelKey, write: DocumentWrite): Promise<boolean> {
    const item = {
      ...write.document,
      ...key,
      [documentMeta.stream]: write.streamId,
      [documentMeta.position]: write.position,
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(#pk) OR #pos = :pos',
          ExpressionAttributeNames: { '#pk': 'pk', '#pos': documentMeta.position },
          ExpressionAttributeValues: { ':pos': { N: String(write.expectedPosition) } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateReadError(error, 'PutItem');
    }
  }

  addCounters(markerPrefix: string, entries: readonly CounterEntry[]): Promise<number> {
    return addCountersOnce(this.client, this.tableName, markerPrefix, entries, this.now());
  }

  async recordStatus(statusKey: string, name: string, update: ProjectionStatusUpdate) {
    const names: Record<string, string> = {
      '#processed': 'processed',
      '#failed': 'failed',
      '#updatedAt': 'updatedAt',
    };
    const values: Record<string, unknown> = {
      ':processed': update.processed,
      ':failed': update.failed,
      ':updatedAt': this.now().toISOString(),
    };
    const sets = ['#updatedAt = :updatedAt'];
    for (const field of ['position', 'lastEventAt', 'lagMs'] as const) {
      if (update[field] === undefined) continue;
      // Every name goes through a placeholder: `position` is a reserved word.
      names[`#${field}`] = field;
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = update[field];
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: statusKey, sk: name }),
          UpdateExpression: `SET ${sets.join(', ')} ADD #processed :processed, #failed :failed`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values),
        }),
      );
    } catch (error) {
      throw translateReadError(error, 'UpdateItem');
    }
  }

  dropPrefixes(prefixes: readonly string[]): Promise<number> {
    return dropByPrefix(this.client, this.tableName, prefixes);
  }
}

/** An item as the port returns it: its key, its fields without the reserved ones, its position. */
function storedItem(raw: Record<string, unknown>): StoredItem {
  const {
    pk,
    sk,
    [documentMeta.stream]: _stream,
    [documentMeta.position]: position,
    ...document
  } = raw;
  return {
    key: { pk: String(pk), sk: String(sk) },
    document: document as Document,
    position: Number(position ?? 0),
  };
}
