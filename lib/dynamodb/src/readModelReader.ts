/**
 * The read side of the read-model store port over one DynamoDB table: keyed reads and partition
 * queries, with the reserved attributes taken off. Query handlers need only this, so their
 * bundles carry none of the write path.
 */
import { type DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type Document,
  documentMeta,
  type ItemQuery,
  type ReadModelKey,
  type ReadModelReader,
  type StoredItem,
} from '@coffee-es/core';
import { translateReadError } from './errors.ts';

/**
 * The {@link ReadModelReader} on a DynamoDB table: strongly consistent keyed reads, queries of one
 * partition (paged through). Throttling or an unreachable table throws `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * const reader = new DynamoReadModelReader(client, 'coffee-read-models');
 * const entries = await orderHistory.query(reader, 'c1', { newestFirst: true });
 * ```
 */
export class DynamoReadModelReader implements ReadModelReader {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
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
