/**
 * Counter writes against DynamoDB Local: each event counts once, also when events repeat within
 * and across calls, and when transactions collide with another writer's (injected: DynamoDB Local
 * never reports TransactionConflict).
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { applyCounters, counterProjection, type ProjectedEvent } from '@coffee-es/core';
import { DynamoReadModelStore, ensureTables, readModelTable } from '@coffee-es/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../support/localStack.ts';

let client: DynamoDBClient;
beforeAll(async () => {
  client = dynamoClient('counterWrites');
  await ensureTables(client, { counters: readModelTable });
});
afterAll(() => client?.destroy());

const tally = counterProjection({
  name: 'tally',
  entityTypes: ['T'],
  keyPrefix: 'Tally#',
  changesOf: (e) => [
    {
      key: { pk: `Tally#${(e.data as { bucket: string }).bucket}`, sk: 'total' },
      add: { count: 1, amount: (e.data as { amount: number }).amount },
      set: { bucket: (e.data as { bucket: string }).bucket },
    },
  ],
});

const event = (stream: string, position: number, bucket: string): ProjectedEvent => ({
  streamId: stream,
  position,
  type: 'T',
  schemaVersion: 1,
  data: { bucket, amount: 10 },
  recordedAt: '',
  entityType: 'T',
});

const total = async (bucket: string) => {
  const out = await client.send(
    new GetItemCommand({
      TableName: 'counters',
      Key: { pk: { S: `Tally#${bucket}` }, sk: { S: 'total' } },
      ConsistentRead: true,
    }),
  );
  return { count: Number(out.Item?.count?.N ?? 0), amount: Number(out.Item?.amount?.N ?? 0) };
};

describe('counter writes', () => {
  it('counts each event once across repeated and overlapping deliveries', async () => {
    const store = new DynamoReadModelStore(client, 'counters');
    const events = Array.from({ length: 150 }, (_, i) => event(`S${i % 7}`, i, 'a'));
    expect(await applyCounters(store, tally, events.slice(0, 100))).toBe(100);
    // Half already counted, half new, and one event twice in the same call.
    const again = [...events.slice(50, 150), events[120] as ProjectedEvent];
    expect(await applyCounters(store, tally, again)).toBe(50);
    expect(await applyCounters(store, tally, events)).toBe(0);
    expect(await total('a')).toEqual({ count: 150, amount: 1_500 });
  });

  it('retries a transaction that collided with another writer, losing and doubling nothing', async () => {
    let injected = 0;
    const colliding = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteItemsCommand && injected < 3) {
          injected += 1;
          const items = command.input.TransactItems ?? [];
          throw new TransactionCanceledException({
            message: 'Transaction cancelled',
            $metadata: {},
            CancellationReasons: items.map((_, i) => ({
              Code: i === items.length - 1 ? 'TransactionConflict' : 'None',
            })),
          });
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const store = new DynamoReadModelStore(colliding, 'counters');
    const events = Array.from({ length: 5 }, (_, i) => event('C', i + 1, 'b'));
    expect(await applyCounters(store, tally, events)).toBe(5);
    expect(injected).toBe(3);
    expect(await total('b')).toEqual({ count: 5, amount: 50 });
  });
});
