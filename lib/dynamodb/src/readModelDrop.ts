/** Drops read-model items by partition-key prefix (a rebuild starts from nothing). */
import { BatchWriteItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type Backoff, backoffDelay, sleep } from '@coffee-es/core';
import { translateReadError } from './errors.ts';

export async function dropByPrefix(
  client: DynamoDBClient,
  tableName: string,
  prefixes: readonly string[],
): Promise<number> {
  let deleted = 0;
  let cursor: Record<string, never> | undefined;
  try {
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: 'pk, sk',
          // An item written just before must not survive the drop.
          ConsistentRead: true,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      const keys = (page.Items ?? []).filter((item) =>
        prefixes.some((prefix) => item.pk?.S?.startsWith(prefix)),
      );
      for (let i = 0; i < keys.length; i += 25) {
        await deleteBatch(client, tableName, keys.slice(i, i + 25));
      }
      deleted += keys.length;
      cursor = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (cursor);
  } catch (error) {
    throw translateReadError(error, 'drop');
  }
  return deleted;
}

/** Unprocessed deletes are sent again after 50 ms, 100 ms, … up to 5 s. */
const unprocessedBackoff: Backoff = { baseDelayMs: 50, maxDelayMs: 5_000, jitter: 'none' };

async function deleteBatch(client: DynamoDBClient, tableName: string, keys: object[]) {
  let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    const out = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: requests as never } }),
    );
    requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    if (requests.length > 0) await sleep(backoffDelay(unprocessedBackoff, attempt));
  }
}
