/**
 * The journal's items outside event streams (durable-state records, unique-key claims, anything
 * else but commits, notes and an import's marker), compared both ways: each one of a table read
 * a page at a time and looked up in the other by key.
 */
import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { canonicalJson, itemName, keyOf } from './canonical.ts';
import { importMarkerKind, type RawItem } from './format.ts';
import { scanPages } from './pages.ts';
import { type Difference, differingAttributes } from './parityFigures.ts';
import { withThrottleRetry } from './throttling.ts';

/** `state Branch`, `claim`: how the report counts an item outside the streams. */
export const labelOf = (item: RawItem) =>
  item.kind?.S === 'state' ? `state ${item.et?.S ?? '?'}` : (item.kind?.S ?? '(no kind)');

async function* otherItems(client: DynamoDBClient, table: string) {
  const pages = scanPages(client, {
    TableName: table,
    ConsistentRead: true,
    FilterExpression: 'NOT (#kind IN (:commit, :note, :import))',
    ExpressionAttributeNames: { '#kind': 'kind' },
    ExpressionAttributeValues: {
      ':commit': { S: 'commit' },
      ':note': { S: 'note' },
      ':import': { S: importMarkerKind },
    },
  });
  for await (const page of pages) if (page.length > 0) yield page;
}

/** The items of `table` with these keys, by `itemName`. */
export async function getItems(
  client: DynamoDBClient,
  table: string,
  keys: readonly RawItem[],
): Promise<Map<string, RawItem>> {
  const found = new Map<string, RawItem>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: RawItem[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0 && attempt < 15; attempt++) {
      const request: RawItem[] = pending;
      const out = await withThrottleRetry(() =>
        client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: request, ConsistentRead: true } },
          }),
        ),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(itemName(item), item);
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}

/**
 * Compares the items outside the streams; counts them per label on each side. `recheck` is
 * called before an item that differs is read again (a live copy may have caught up since).
 */
export async function compareOtherItems(
  client: DynamoDBClient,
  tables: readonly [string, string],
  recheck: () => Promise<void>,
): Promise<{
  counts: Record<string, { source: number; target: number }>;
  differences: Difference[];
}> {
  const counts: Record<string, { source: number; target: number }> = {};
  const differences: Difference[] = [];
  const count = (item: RawItem, side: 'source' | 'target') => {
    const label = labelOf(item);
    counts[label] ??= { source: 0, target: 0 };
    counts[label][side]++;
  };
  for (const [from, to, side] of [
    [tables[0], tables[1], 'source'],
    [tables[1], tables[0], 'target'],
  ] as const) {
    for await (const page of otherItems(client, from)) {
      for (const item of page) count(item, side);
      const suspects = await differing(client, to, page, side === 'source');
      if (suspects.length === 0) continue;
      await recheck();
      differences.push(...(await confirm(client, [from, to], suspects, side)));
    }
  }
  return { counts, differences: dedupe(differences) };
}

/** Items of `page` absent from `table` (or, from the source, different there). */
async function differing(
  client: DynamoDBClient,
  table: string,
  page: readonly RawItem[],
  compare: boolean,
) {
  const other = await getItems(client, table, page.map(keyOf));
  return page.filter((item) => {
    const there = other.get(itemName(item));
    return !there || (compare && canonicalJson(there) !== canonicalJson(item));
  });
}

/** The suspects read again on both sides: what still differs (an item gone meanwhile does not). */
async function confirm(
  client: DynamoDBClient,
  [from, to]: readonly [string, string],
  suspects: readonly RawItem[],
  side: 'source' | 'target',
): Promise<Difference[]> {
  const differences: Difference[] = [];
  const again = await getItems(client, from, suspects.map(keyOf));
  const there = await getItems(client, to, suspects.map(keyOf));
  for (const [where, item] of again) {
    const other = there.get(where);
    const label = labelOf(item);
    if (!other) {
      differences.push(
        side === 'source'
          ? { kind: 'missing', where, detail: `a ${label} in the source, not in the target` }
          : { kind: 'extra', where, detail: `a ${label} in the target, not in the source` },
      );
    } else if (side === 'source' && canonicalJson(other) !== canonicalJson(item)) {
      const attributes = differingAttributes(item, other).join(', ');
      differences.push({
        kind: 'altered',
        where,
        detail: `a ${label} that differs in ${attributes}`,
      });
    }
  }
  return differences;
}

function dedupe(differences: Difference[]): Difference[] {
  const seen = new Set<string>();
  return differences.filter((d) => {
    const key = `${d.kind}|${d.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
