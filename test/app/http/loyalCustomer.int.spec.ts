/**
 * The seed's most loyal customer: 10,000 events, most of them from before the v1 → v2 change of
 * `CustomerPointsAdded` (stored as v1). `GET /customers/{id}` must cost one DynamoDB request
 * whatever the history length, and a strongly consistent one, as the contract promises. The app
 * talks to DynamoDB through a recording proxy: what is counted is what reaches the wire.
 */

import type { Commit } from '@coffee-es/core';
import { historyCommits } from '@coffee-es/core';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CustomerEvent,
  customerEntity,
  customerView,
  loyaltyTierOf,
} from '../../../functions/domain/customers/index.ts';
import { type Answer, type App, startApp } from '../../support/appServer.ts';
import {
  type DynamoCall,
  type DynamoRecorder,
  startDynamoRecorder,
} from '../../support/dynamoRecorder.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

const customerId = 'loyal-1';
const historyLength = 10_000;
/** Paid-order credits at the end of the history; every credit before them is a v1 event. */
const orderCredits = 999;

type PointsAdded = Extract<CustomerEvent, { type: 'CustomerPointsAdded' }>;

/**
 * Registered, then 9,000 credits of the v1 era (`{customerId, points}`, no order), then 999 paid
 * orders. The events are given in their current (v2) shape, as the store hands them to `evolve`.
 */
function loyalHistory(): CustomerEvent[] {
  const events: CustomerEvent[] = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId,
        name: 'Marta',
        email: 'marta@example.com',
        registeredAt: '2015-03-01T08:00:00.000Z',
      },
    },
  ];
  let lifetime = 0;
  const firstOrder = historyLength - orderCredits + 1;
  for (let position = 2; position <= historyLength; position++) {
    const points = (position % 7) + 1;
    lifetime += points;
    events.push({
      type: 'CustomerPointsAdded',
      data:
        position < firstOrder
          ? { customerId, points, loyaltyTier: 'Bronze' }
          : { customerId, points, loyaltyTier: loyaltyTierOf(lifetime), orderId: `o-${position}` },
    });
  }
  return events;
}

/** Stores the order-less credits as they were written before v2: schema version 1, no tier. */
function asWrittenInV1(commit: Commit): Commit {
  return {
    ...commit,
    events: commit.events.map((event) => {
      const data = event.data as PointsAdded['data'];
      return event.type === 'CustomerPointsAdded' && data.orderId === undefined
        ? { ...event, schemaVersion: 1, data: { customerId: data.customerId, points: data.points } }
        : event;
    }),
  };
}

let recorder: DynamoRecorder;
let app: App;
const events = loyalHistory();

beforeAll(async () => {
  recorder = await startDynamoRecorder(dynamoEndpoint());
  // No stream or queue workers: what the proxy sees is the HTTP handler's traffic alone.
  app = await startApp('loyalCustomer', { dynamoEndpoint: recorder.endpoint, workers: false });
  // Seeded past the proxy, straight into the app's journal table (same database: same key id).
  // Ten events a commit keeps seeding near two seconds (DynamoDB Local writes ~1 item a ms); a
  // load reads back to the newest snapshot whatever the commit size, so the cost is the same.
  const env = app.runtime.environment;
  const client = clientFor(dynamoEndpoint(), env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  try {
    const commits = historyCommits(customerEntity, `Customer#${customerId}`, events, {
      eventsPerCommit: 10,
    }).map(asWrittenInV1);
    expect(commits.filter((c) => c.snapshot)).toHaveLength(historyLength / 100);
    const v1 = commits
      .flatMap((c) => c.events)
      .filter((e) => e.type === 'CustomerPointsAdded' && e.schemaVersion === 1);
    expect(v1).toHaveLength(historyLength - 1 - orderCredits);
    await writeCommitsInBatches(client, app.runtime.tableNames.journal as string, commits, {
      concurrency: 8,
    });
  } finally {
    client.destroy();
  }
});

afterAll(async () => {
  await app?.stop();
  await recorder?.close();
});

/** One GET, and the DynamoDB requests made while it ran. */
async function read(path: string): Promise<{ answer: Answer; calls: DynamoCall[] }> {
  let answer: Answer | undefined;
  const calls = await recorder.during(async () => {
    answer = await app.call('GET', path);
  });
  return { answer: answer as Answer, calls };
}

describe('a customer with a 10,000-event history', () => {
  it('answers GET /customers/{id} with one strongly consistent Query behind it', async () => {
    const { answer, calls } = await read(`/customers/${customerId}`);
    expect(answer.status).toBe(200);
    expect(calls.map((c) => c.operation)).toEqual(['Query']);
    expect(calls[0]?.input.ConsistentRead).toBe(true);
    // One page, bounded by the snapshot interval rather than by the history.
    expect(calls[0]?.output.Count).toBeLessThanOrEqual(101);

    // What replaying every event gives, and the same numbers counted without the domain's code.
    const replayed = events.reduce(customerEntity.evolve, customerEntity.initialState());
    expect(answer.body).toEqual({ ...customerView(customerId, replayed), version: historyLength });
    const earned = events
      .filter((e): e is PointsAdded => e.type === 'CustomerPointsAdded')
      .reduce((sum, e) => sum + e.data.points, 0);
    expect(answer.body).toEqual({
      customerId,
      name: 'Marta',
      email: 'marta@example.com',
      points: earned,
      lifetimePoints: earned,
      tier: 'gold',
      orderCount: orderCredits,
      version: historyLength,
    });
    expect(answer.headers.get('etag')).toBe(`"${historyLength}"`);
  });

  it('sees its own redemption at once, still with one Query per read', async () => {
    const before = (await read(`/customers/${customerId}`)).answer.body;
    const redeemed = await app.call('POST', `/customers/${customerId}/redemptions`, {
      points: 40,
    });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toEqual({
      ...before,
      points: before.points - 40,
      version: historyLength + 1,
    });
    const { answer, calls } = await read(`/customers/${customerId}`);
    expect(answer.body).toEqual(redeemed.body);
    expect(answer.headers.get('etag')).toBe(`"${historyLength + 1}"`);
    expect(calls.map((c) => c.operation)).toEqual(['Query']);
    expect(calls[0]?.input.ConsistentRead).toBe(true);
  });
});
