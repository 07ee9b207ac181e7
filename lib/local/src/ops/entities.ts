/**
 * The entities of one type, as an operator lists them (`coffee-es entities`): each id with its
 * version, from the journal's index of streams by type, a page at a time (constant memory).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoJournal,
  type JournalTableRef,
  journalIndexes,
  streamVersion,
} from '@coffee-es/dynamodb';

/** One entity: its id, its stream and its version (the position of its last event). */
export interface EntityVersion {
  readonly id: string;
  readonly streamId: string;
  readonly version: number;
}

/**
 * The entities of `entityType`, with their versions, a page of the streams index at a time,
 * `concurrency` (default 32) version queries at once; it stops early when `signal` aborts.
 *
 * @example
 * ```ts
 * for await (const { id, version } of listEntities({ client, tableName }, 'Order')) console.log(id, version);
 * ```
 */
export async function* listEntities(
  table: JournalTableRef,
  entityType: string,
  options: { readonly concurrency?: number; readonly signal?: AbortSignal } = {},
): AsyncGenerator<EntityVersion> {
  const journal = new DynamoJournal({ client: table.client, tableName: table.tableName });
  const concurrency = options.concurrency ?? 32;
  const prefix = `${entityType}#`;
  let cursor: Awaited<ReturnType<DynamoJournal['listStreams']>>['next'];
  do {
    const page = await journal.listStreams(entityType, cursor);
    for (let i = 0; i < page.streamIds.length; i += concurrency) {
      if (options.signal?.aborted) return;
      const chunk = page.streamIds.slice(i, i + concurrency);
      const versions = await Promise.all(chunk.map((s) => streamVersion(table, s)));
      for (const [j, streamId] of chunk.entries()) {
        const id = streamId.startsWith(prefix) ? streamId.slice(prefix.length) : streamId;
        yield { id, streamId, version: versions[j] ?? 0 };
      }
    }
    cursor = page.next;
  } while (cursor);
}

/**
 * About how many streams the journal holds (all types): the streams index's item count, which
 * DynamoDB refreshes every few hours. For a progress bar's total; undefined when unknown.
 */
export async function estimatedStreams(table: JournalTableRef): Promise<number | undefined> {
  const out = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  const index = out.Table?.GlobalSecondaryIndexes?.find(
    (i) => i.IndexName === journalIndexes.streamsByType,
  );
  const count = index?.ItemCount;
  return count && count > 0 ? count : undefined;
}
