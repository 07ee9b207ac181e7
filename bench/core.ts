/**
 * Benchmark of the write side and loads against DynamoDB Local, with a raw-SDK floor measured in
 * the same run. Each section gets a database of its own (a fresh access key id), because
 * DynamoDB Local slows down as stream records pile up in one database. Many writers on one
 * entity: contention.ts.
 */
import {
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type ReturnConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import { EntityStore, historyCommits } from '@coffee-es/core';
import {
  DynamoJournal,
  ensureTables,
  type JournalRequest,
  journalTable,
  writeCommitsInBatches,
} from '@coffee-es/dynamodb';
import { type CounterEvent, counterEntity } from '../test/support/counterEntity.ts';
import { median, percentile, round, timed } from './stats.ts';

export interface Fixture {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly journal: DynamoJournal;
  readonly log: JournalRequest[];
}

export type MakeClient = (database: string) => DynamoDBClient;

export async function fixture(makeClient: MakeClient, database: string): Promise<Fixture> {
  const client = makeClient(database);
  const tableName = 'journal';
  await ensureTables(client, { [tableName]: journalTable });
  const log: JournalRequest[] = [];
  return {
    client,
    tableName,
    journal: new DynamoJournal({ client, tableName, onRequest: (r) => log.push(r) }),
    log,
  };
}

export const increment = {
  type: 'Increment',
  data: { by: 1, note: 'flat white, oat milk' },
} as const;

function costOf(log: readonly JournalRequest[], commands: number) {
  const reads = log.filter((r) => r.operation !== 'PutItem');
  const writes = log.filter((r) => r.operation === 'PutItem');
  const sum = (rs: readonly JournalRequest[]) => rs.reduce((s, r) => s + r.capacityUnits, 0);
  return {
    readRequests: round(reads.length / commands),
    writeRequests: round(writes.length / commands),
    rcu: round(sum(reads) / commands),
    wcu: round(sum(writes) / commands),
  };
}

/** Requests and capacity per command: cold container, warm container, create under a new id. */
export async function commandCost(makeClient: MakeClient, commands = 200) {
  const f = await fixture(makeClient, 'cost');
  const entity = counterEntity();
  const warmStore = new EntityStore(entity, { journal: f.journal });
  await warmStore.execute('warm', increment);
  for (let i = 0; i < 20; i++) await warmStore.execute('cold', increment);

  const measure = async (work: (i: number) => Promise<unknown>) => {
    const start = f.log.length;
    for (let i = 0; i < commands; i++) await work(i);
    return costOf(f.log.slice(start), commands);
  };
  const warm = await measure(() => warmStore.execute('warm', increment));
  const cold = await measure(() =>
    new EntityStore(entity, { journal: f.journal }).execute('cold', increment),
  );
  const create = await measure((i) => warmStore.execute(`new-${i}`, increment, { isNew: true }));
  return { warm, cold, create };
}

/** Load latency and requests by history length, with and without snapshots. */
export async function loadCost(makeClient: MakeClient) {
  const f = await fixture(makeClient, 'load');
  const cases = [];
  for (const snapshotEvery of [100, 0]) {
    const entity = counterEntity({ snapshotEvery });
    for (const length of [10, 1_000, 10_000]) {
      const streamId = `Counter#len-${length}-snap-${snapshotEvery}`;
      const events: CounterEvent[] = Array.from({ length }, () => ({
        type: 'Incremented',
        data: { by: 1, note: 'flat white, oat milk' },
      }));
      await writeCommitsInBatches(f.client, f.tableName, historyCommits(entity, streamId, events));
      const store = new EntityStore(entity, { journal: f.journal, cacheSize: 0 });
      const id = streamId.slice('Counter#'.length);
      await store.get(id); // warm-up
      const slow = length === 10_000 && snapshotEvery === 0;
      cases.push({
        length,
        snapshotEvery,
        store,
        id,
        slow,
        samples: [] as number[],
        log: [] as JournalRequest[],
      });
    }
  }
  // Rounds go through every case in turn, so that drift and background load hit all alike.
  for (let pass = 0; pass < 60; pass++) {
    for (const c of cases) {
      if (c.slow && pass >= 5) continue;
      const start = f.log.length;
      c.samples.push(await timed(() => c.store.get(c.id)));
      c.log.push(...f.log.slice(start));
    }
  }
  return cases.map((c) => ({
    events: c.length,
    snapshots: c.snapshotEvery === 0 ? 'none' : `every ${c.snapshotEvery}`,
    requestsPerLoad: round(c.log.length / c.samples.length),
    itemsReadPerLoad: round(c.log.reduce((s, r) => s + r.items, 0) / c.samples.length),
    rcuPerLoad: round(c.log.reduce((s, r) => s + r.capacityUnits, 0) / c.samples.length),
    medianMs: round(median(c.samples)),
    p99Ms: round(percentile(c.samples, 99)),
  }));
}

/**
 * Command latency against the raw-SDK floor: the same Query and conditional PutItem, of the same
 * sizes, issued directly. Framework and floor alternate so that drift hits both alike.
 */
export async function latencyVsFloor(makeClient: MakeClient, rounds = 300) {
  const f = await fixture(makeClient, 'latency');
  const entity = counterEntity();
  const warmStore = new EntityStore(entity, { journal: f.journal });
  // Warm and cold commands go to different entities: a cold store writing the warm entity would
  // make the warm store's cached image stale on every round.
  for (let i = 0; i < 30; i++) {
    await warmStore.execute('warm', increment);
    await warmStore.execute('cold', increment);
  }
  const capacity: { ReturnConsumedCapacity: ReturnConsumedCapacity } = {
    ReturnConsumedCapacity: 'TOTAL',
  };
  let rawVersion = 0;
  const rawPut = () => {
    rawVersion++;
    return f.client.send(
      new PutItemCommand({
        TableName: f.tableName,
        Item: {
          pk: { S: 'Counter#raw' },
          sk: { N: String(rawVersion) },
          kind: { S: 'commit' },
          et: { S: 'Counter' },
          to: { N: String(rawVersion) },
          ev: { S: JSON.stringify([{ t: 'Incremented', v: 1, d: increment.data }]) },
          at: { S: new Date().toISOString() },
          cmd: { S: globalThis.crypto.randomUUID() },
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ...capacity,
      }),
    );
  };
  const rawQuery = () =>
    f.client.send(
      new QueryCommand({
        TableName: f.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk > :zero',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: 'Counter#raw' }, ':zero': { N: '0' } },
        ScanIndexForward: false,
        Limit: 101,
        ...capacity,
      }),
    );
  for (let i = 0; i < 30; i++) await rawPut();

  const samples = {
    warm: [] as number[],
    rawPut: [] as number[],
    cold: [] as number[],
    rawQueryPut: [] as number[],
  };
  for (let i = 0; i < rounds; i++) {
    samples.warm.push(await timed(() => warmStore.execute('warm', increment)));
    samples.rawPut.push(await timed(rawPut));
    samples.cold.push(
      await timed(() => new EntityStore(entity, { journal: f.journal }).execute('cold', increment)),
    );
    samples.rawQueryPut.push(
      await timed(async () => {
        await rawQuery();
        await rawPut();
      }),
    );
  }
  const row = (name: string, mine: number[], floor: number[]) => ({
    command: name,
    medianMs: round(median(mine)),
    floorMedianMs: round(median(floor)),
    medianRatio: round(median(mine) / median(floor)),
    p99Ms: round(percentile(mine, 99)),
    floorP99Ms: round(percentile(floor, 99)),
  });
  return [
    row('warm (PutItem)', samples.warm, samples.rawPut),
    row('cold (Query + PutItem)', samples.cold, samples.rawQueryPut),
  ];
}
