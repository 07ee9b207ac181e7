/**
 * Writes many commits with BatchWriteItem (25 a request), retrying unprocessed items. No
 * conditions: for imports into streams nobody else writes, never for commands.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Backoff, backoffDelay, type Commit, sleep } from '@coffee-es/core';
import { commitToItem, type Item } from './codec.ts';
import { translateReadError } from './errors.ts';

/**
 * Writes commits with `BatchWriteItem`, 25 a request, retrying unprocessed items; unconditional,
 * so only for imports into streams nobody else writes (never for commands). Throttling past the
 * SDK's retries throws `StoreUnavailableError`.
 */
export async function writeCommitsInBatches(
  client: DynamoDBClient,
  tableName: string,
  commits: readonly Commit[],
  options: { readonly concurrency?: number } = {},
): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < commits.length; i += 25) {
    batches.push(commits.slice(i, i + 25).map(commitToItem));
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await writeBatch(client, tableName, batch);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
}

/** Unprocessed items are sent again after 40 ms, 80 ms, … up to 1 s (no jitter: one writer). */
const unprocessedBackoff: Backoff = { baseDelayMs: 20, maxDelayMs: 1_000, jitter: 'none' };

async function writeBatch(client: DynamoDBClient, tableName: string, items: Item[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 10)
      throw new Error(`${pending.length} items stayed unprocessed after 10 retries`);
    if (attempt > 0) await sleep(backoffDelay(unprocessedBackoff, attempt));
    try {
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    } catch (error) {
      throw translateReadError(error, 'batchWrite');
    }
  }
}
