/** Drops read-model items by partition-key prefix (a rebuild starts from nothing). */
import { BatchWriteItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
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

async function deleteBatch(client: DynamoDBClient, tableName: string, keys: object[]) {
  let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    const out = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: requests as never } }),
    );
    requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
  }
}
