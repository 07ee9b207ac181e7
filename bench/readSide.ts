/**
 * Benchmark of the read side: projection lag (commit to read model, through the local stream
 * worker) against the floor of the stream itself, and rebuild throughput against a raw-SDK
 * replay (a scan and one plain PutItem per commit) of the same journal.
 */
import { resolve } from 'node:path';
import { type DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { historyCommits, rebuildProjections } from '@coffee-es/core';
import {
  DynamoJournal,
  DynamoReadModelStore,
  ensureTables,
  journalTable,
  readModelTable,
  writeCommitsInBatches,
} from '@coffee-es/dynamodb';
import { clientFor, startLocalRuntime } from '@coffee-es/local';
import { system } from '../functions/app/system.ts';
import { type OrderEvent, orderEntity } from '../functions/domain/index.ts';
import { readSide } from '../functions/projections/index.ts';
import { median, percentile, round, timed } from './stats.ts';

export type MakeClient = (database: string) => DynamoDBClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lag from a command's answer to its effect in a read model (a paid order in the customer's
 * history), through the local runtime: stream poller, projector, DynamoDB. The floor is the
 * stream alone: a raw PutItem until a raw GetRecords loop, paced like the poller, sees it.
 */
export async function projectionLag(endpoint: string, samples = 60) {
  const accessKeyId = `benchlag${Date.now()}`;
  const runtime = await startLocalRuntime({
    system,
    root: resolve(import.meta.dirname, '..'),
    port: 0,
    dynamoEndpoint: endpoint,
    accessKeyId,
    logLevel: 'SILENT',
  });
  try {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return response.json() as Promise<Record<string, never>>;
    };
    await call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
    await call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
    const lags: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const placed = await call('POST', '/branches/b1/orders', {
        customerId: 'c1',
        items: [{ sku: 'beans', quantity: 1, unitPrice: 1_000 }],
      });
      const orderId = String(placed.orderId);
      await call('POST', `/orders/${orderId}/payment`, { amount: 1_000 });
      const paidAt = performance.now();
      for (;;) {
        const history = (await call('GET', '/customers/c1/orders')) as {
          orders?: { orderId: string; status: string }[];
        };
        if (history.orders?.some((o) => o.orderId === orderId && o.status === 'paid')) break;
        await sleep(5);
      }
      if (i >= 5) lags.push(performance.now() - paidAt); // the first few warm up
    }
    const floor = await streamFloor(endpoint, accessKeyId, samples);
    return [
      {
        path: 'projection (order history)',
        samples: lags.length,
        p50Ms: round(median(lags)),
        p99Ms: round(percentile(lags, 99)),
      },
      {
        path: 'floor: raw put → raw stream read',
        samples: floor.length,
        p50Ms: round(median(floor)),
        p99Ms: round(percentile(floor, 99)),
      },
    ];
  } finally {
    await runtime.stop();
  }
}

/** A raw PutItem until a GetRecords loop paced like the local worker (100 ms when idle) sees it. */
async function streamFloor(endpoint: string, accessKeyId: string, samples: number) {
  const client = clientFor(endpoint, accessKeyId, 'us-east-1');
  const created = await ensureTables(client, { floor: journalTable });
  const streamArn = created.floor?.streamArn as string;
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
  const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn })))
    .StreamDescription?.Shards?.[0]?.ShardId;
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard,
        ShardIteratorType: 'LATEST',
      }),
    )
  ).ShardIterator;
  // A reader paced like the local stream worker: GetRecords, then 100 ms when nothing came.
  const seen = new Map<string, number>();
  let reading = true;
  const reader = (async () => {
    while (reading) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterator = out.NextShardIterator;
      for (const r of out.Records ?? [])
        seen.set(String(r.dynamodb?.Keys?.pk?.S), performance.now());
      if ((out.Records ?? []).length === 0) await sleep(100);
    }
  })();
  const lags: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await client.send(
      new PutItemCommand({
        TableName: 'floor',
        Item: { pk: { S: `s${i}` }, sk: { N: '1' }, kind: { S: 'commit' } },
      }),
    );
    while (!seen.has(`s${i}`)) await sleep(2);
    lags.push((seen.get(`s${i}`) as number) - start);
    await sleep(Math.random() * 100);
  }
  reading = false;
  await reader;
  streams.destroy();
  client.destroy();
  return lags;
}

/** Rebuild of every read model from a journal of `orders` placed and paid orders. */
export async function rebuildThroughput(makeClient: MakeClient, orders = 1_500) {
  const client = makeClient('rebuild');
  await ensureTables(client, {
    journal: journalTable,
    readModels: readModelTable,
    floor: readModelTable,
  });
  const commits = Array.from({ length: orders }, (_, i) => {
    const orderId = `o${String(i).padStart(6, '0')}`;
    const at = new Date(Date.UTC(2026, 10, 1 + (i % 20), 9)).toISOString();
    const events: OrderEvent[] = [
      {
        type: 'OrderPlaced',
        data: {
          orderId,
          branchId: `b${i % 5}`,
          customerId: `c${i % 50}`,
          items: [{ sku: 'beans', quantity: 1, unitPrice: 1_000 }],
          total: 1_000,
          placedAt: at,
        },
      },
      {
        type: 'OrderPaid',
        data: {
          orderId,
          branchId: `b${i % 5}`,
          customerId: `c${i % 50}`,
          amount: 1_000,
          total: 1_000,
          paidAt: at,
        },
      },
    ];
    return historyCommits(orderEntity, `Order#${orderId}`, events, { recordedAt: at });
  }).flat();
  await writeCommitsInBatches(client, 'journal', commits);
  const events = commits.reduce((n, c) => n + c.events.length, 0);

  const framework = await timed(() =>
    rebuildProjections({
      journal: new DynamoJournal({ client, tableName: 'journal' }),
      store: new DynamoReadModelStore(client, 'readModels'),
      projections: readSide.projections,
      schemas: readSide.eventSchemas,
    }),
  );
  const floor = await timed(() => rawReplay(client, events));
  client.destroy();
  return [
    {
      replay: 'rebuild (all read models)',
      events,
      seconds: round(framework / 1000),
      eventsPerSecond: Math.round(events / (framework / 1000)),
    },
    {
      replay: 'floor: raw scan + 1 PutItem per event',
      events,
      seconds: round(floor / 1000),
      eventsPerSecond: Math.round(events / (floor / 1000)),
    },
  ];
}

/** The least any replay must do: read the journal, write once per event (4 scan segments). */
async function rawReplay(client: DynamoDBClient, events: number): Promise<void> {
  let written = 0;
  const segment = async (Segment: number) => {
    let cursor: Record<string, never> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: 'journal',
          Segment,
          TotalSegments: 4,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        await client.send(
          new PutItemCommand({
            TableName: 'floor',
            Item: {
              pk: { S: `F#${item.pk?.S}` },
              sk: { S: String(item.sk?.N) },
              ev: item.ev ?? { S: '' },
            },
          }),
        );
        written += 1;
      }
      cursor = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (cursor);
  };
  await Promise.all([0, 1, 2, 3].map(segment));
  if (written !== events) throw new Error(`raw replay wrote ${written} of ${events}`);
}
