/**
 * One export or import in a process of its own, for the journal bench: prints its time and the
 * peak heap and RSS it reached (sampled every 20 ms), so that the bench compares processes that
 * held nothing else. `tsx bench/journalProbe.ts export|import <endpoint> <database> <table> <file>`.
 * The floor, with the raw SDK in the same run: `scan <…> <table>` pages through the table and
 * holds nothing; `copy <…> <table> <file>` reads the export's item lines and batch-writes them
 * into the table, 25 a request, 4 requests in flight, as the import does, without its checks,
 * marker or resumption. Import and copy each get a database of their own, so that neither
 * writes into a DynamoDB Local already holding the other's items and stream records.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import { clientFor, exportJournal, importJournal } from '@coffee-es/local';

const [mode, endpoint, database, table, file] = process.argv.slice(2);
const modes = ['export', 'import', 'scan', 'copy'];
if (!endpoint || !database || !table || !file || !modes.includes(mode ?? '')) {
  console.error(
    'usage: journalProbe.ts export|import|scan|copy <endpoint> <database> <table> <file>',
  );
  process.exit(2);
}
let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
};
const sampler = setInterval(sample, 20);
const client = clientFor(endpoint, database);
const started = Date.now();
let items = 0;
if (mode === 'scan') {
  for await (const page of pages(client, table)) items += page.length;
} else if (mode === 'copy') {
  items = await rawCopy(client, file, table);
} else if (mode === 'export') {
  const out = createWriteStream(file);
  items = (await exportJournal({ client, table, out })).items;
  out.end();
  await finished(out);
} else {
  items = (await importJournal({ client, table, input: createReadStream(file) })).items;
}
sample();
clearInterval(sampler);
client.destroy();
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
console.log(
  JSON.stringify({
    mode,
    items,
    ms: Date.now() - started,
    peakHeapMb: mb(peakHeap),
    peakRssMb: mb(peakRss),
  }),
);

async function* pages(client: DynamoDBClient, tableName: string) {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        Limit: 250,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
}

/** The source's items into `target`: 25 a request, 4 requests in flight, unprocessed retried. */
async function rawCopy(client: DynamoDBClient, path: string, target: string): Promise<number> {
  await ensureTables(client, { [target]: journalTable });
  let copied = 0;
  const inFlight = new Set<Promise<void>>();
  const write = async (batch: Record<string, AttributeValue>[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [target]: requests } }),
      );
      requests = (out.UnprocessedItems?.[target] ?? []) as typeof requests;
    }
  };
  let batch: Record<string, AttributeValue>[] = [];
  const send = async () => {
    const sent: Promise<void> = write(batch).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    copied += batch.length;
    batch = [];
    if (inFlight.size >= 4) await Promise.race(inFlight);
  };
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const parsed = JSON.parse(line) as { item?: Record<string, AttributeValue> };
    if (!parsed.item) continue; // the header and the trailer
    batch.push(parsed.item);
    if (batch.length === 25) await send();
  }
  if (batch.length > 0) await send();
  await Promise.all(inFlight);
  return copied;
}
