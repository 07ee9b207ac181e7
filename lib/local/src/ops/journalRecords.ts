/**
 * The journal items a failure notice names, read from the journal table (the system of record,
 * kept for good, where the stream keeps 24 hours) and shaped as the stream records Lambda hands
 * a stream consumer, so that the consumer can be run on them again.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { ScanCursor } from '@coffee-es/core';
import { commitToItem, DynamoJournal } from '@coffee-es/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { FailureNotice, NamedItem } from './failureNotices.ts';
import { queryPages } from './journal/pages.ts';

type Item = Record<string, AttributeValue>;

/** Where the items are, and what the records say they came from. */
export interface JournalSource {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly streamArn: string;
  readonly region: string;
}

/** The items a notice names, in order; what the journal lacks of them is in `missing`. */
export async function itemsOf(
  source: JournalSource,
  notice: FailureNotice,
): Promise<{ readonly items: Item[]; readonly missing: string[] }> {
  if (notice.window) return { items: await inWindow(source, notice.window), missing: [] };
  const items: Item[] = [];
  const missing: string[] = [];
  for (const named of notice.items) {
    const found =
      named.kind === 'state' ? await stateItem(source, named) : await commits(source, named);
    if (found.length === 0) missing.push(`${named.streamId}@${named.from}`);
    items.push(...found);
  }
  return { items, missing };
}

async function stateItem(source: JournalSource, named: NamedItem): Promise<Item[]> {
  const out = await source.dynamo.send(
    new GetItemCommand({
      TableName: source.tableName,
      Key: { pk: { S: named.streamId }, sk: { N: String(named.sk) } },
      ConsistentRead: true,
    }),
  );
  return out.Item ? [out.Item] : [];
}

/** The commits of a stream that hold positions `from`..`to` (one may start before `from`). */
async function commits(source: JournalSource, named: NamedItem): Promise<Item[]> {
  const found: Item[] = [];
  const pages = queryPages(source.dynamo, {
    TableName: source.tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :one AND :to',
    ExpressionAttributeValues: {
      ':pk': { S: named.streamId },
      ':one': { N: '1' },
      ':to': { N: String(named.to) },
    },
    ScanIndexForward: false,
    ConsistentRead: true,
    Limit: 25,
  });
  for await (const page of pages) {
    for (const item of page) {
      if (item.kind?.S !== 'commit') continue;
      if (Number(item.to?.N) < named.from) return found.reverse();
      found.push(item);
    }
  }
  return found.reverse();
}

/** Every commit recorded in the window, in recording order. */
async function inWindow(
  source: JournalSource,
  window: { readonly from: string; readonly to: string },
): Promise<Item[]> {
  const journal = new DynamoJournal({ client: source.dynamo, tableName: source.tableName });
  const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
  const found = [];
  let cursor: ScanCursor | undefined;
  do {
    const page = await journal.scan({
      segment: 0,
      totalSegments: 1,
      ...(cursor ? { cursor } : {}),
    });
    for (const commit of page.commits) {
      const at = Date.parse(commit.recordedAt);
      if (at >= from && at <= to) found.push(commit);
    }
    cursor = page.next;
  } while (cursor);
  found.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.from - b.from);
  return found.map((c) => commitToItem(c) as Item);
}

/** Journal items as the stream records of their writes, as Lambda hands them over. */
export function asStreamRecords(source: JournalSource, items: readonly Item[]): DynamoDBRecord[] {
  const now = Math.floor(Date.now() / 1000);
  return items.map((item, i) => ({
    eventID: `journal-${i + 1}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
    dynamodb: {
      ApproximateCreationDateTime: now,
      // The SDK's attribute values and Lambda's have the same JSON shape.
      Keys: { pk: item.pk, sk: item.sk } as never,
      NewImage: item as never,
      // Only an identifier for the consumer's partial-batch answer.
      SequenceNumber: String(i + 1).padStart(21, '0'),
      SizeBytes: JSON.stringify(item).length,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }));
}
