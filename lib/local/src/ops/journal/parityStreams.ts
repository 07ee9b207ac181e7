/**
 * The event streams of two journal tables side by side: the stream ids of each entity type from
 * both tables' streams index (sorted by id, so merged in one pass, a page at a time), and each
 * stream read from both base tables (consistent) and compared position by position.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { journalIndexes } from '@coffee-es/dynamodb';
import { canonicalJson, itemName } from './canonical.ts';
import type { RawItem } from './format.ts';
import { queryPages, scanPages } from './pages.ts';
import { type Difference, differingAttributes } from './parityFigures.ts';

const streamsIndex = journalIndexes.streamsByType;

/** The entity types with streams in a table: its streams index read through (keys only). */
export async function entityTypesOf(client: DynamoDBClient, table: string): Promise<Set<string>> {
  const types = new Set<string>();
  const pages = scanPages(client, {
    TableName: table,
    IndexName: streamsIndex,
    ProjectionExpression: '#first',
    ExpressionAttributeNames: { '#first': 'first' },
  });
  for await (const page of pages)
    for (const item of page) if (item.first?.S) types.add(item.first.S);
  return types;
}

async function* streamIds(client: DynamoDBClient, table: string, type: string) {
  const pages = queryPages(client, {
    TableName: table,
    IndexName: streamsIndex,
    KeyConditionExpression: '#first = :type',
    ExpressionAttributeNames: { '#first': 'first' },
    ExpressionAttributeValues: { ':type': { S: type } },
  });
  for await (const page of pages) for (const item of page) if (item.pk?.S) yield item.pk.S;
}

/** Every stream id of `type` in either table, once each, in order. */
export async function* unionOfStreamIds(
  client: DynamoDBClient,
  tables: readonly [string, string],
  type: string,
): AsyncGenerator<string> {
  const a = streamIds(client, tables[0], type);
  const b = streamIds(client, tables[1], type);
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value < y.value)) {
      yield x.value as string;
      x = await a.next();
    } else if (x.done || y.value < x.value) {
      yield y.value;
      y = await b.next();
    } else {
      yield x.value;
      x = await a.next();
      y = await b.next();
    }
  }
}

/** The items of one stream in a table (its commits, and a note at its next position). */
export async function streamItems(
  client: DynamoDBClient,
  table: string,
  streamId: string,
): Promise<RawItem[]> {
  const items: RawItem[] = [];
  const pages = queryPages(client, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: streamId } },
    ConsistentRead: true,
  });
  for await (const page of pages) items.push(...page);
  return items;
}

/**
 * How two copies of one stream differ: positions missing from the target or extra in it, and
 * (when `payloads`) items whose attributes differ; without `payloads`, a commit's span (`to`) and
 * event count are still compared.
 */
export function streamDifferences(
  source: readonly RawItem[],
  target: readonly RawItem[],
  payloads: boolean,
): Difference[] {
  const differences: Difference[] = [];
  const bySk = new Map(target.map((item) => [item.sk?.N, item]));
  for (const item of source) {
    const other = bySk.get(item.sk?.N);
    bySk.delete(item.sk?.N);
    const where = itemName(item);
    if (!other) {
      differences.push({
        kind: 'missing',
        where,
        detail: `a ${item.kind?.S} in the source, not in the target`,
      });
    } else if (
      payloads ? canonicalJson(item) !== canonicalJson(other) : shapeOf(item) !== shapeOf(other)
    ) {
      const attributes = differingAttributes(item, other);
      differences.push({ kind: 'altered', where, detail: `differs in ${attributes.join(', ')}` });
    }
  }
  for (const item of bySk.values()) {
    differences.push({
      kind: 'extra',
      where: itemName(item),
      detail: `a ${item.kind?.S} in the target, not in the source`,
    });
  }
  return differences;
}

/** What is compared of an unsampled item: its kind, span and number of events. */
function shapeOf(item: RawItem): string {
  let events = -1;
  try {
    events = (JSON.parse(item.ev?.S ?? '[]') as unknown[]).length;
  } catch {
    // left at -1: an unreadable payload differs from a readable one
  }
  return `${item.kind?.S}|${item.to?.N}|${events}`;
}
