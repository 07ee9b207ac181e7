/**
 * The operator API under /_console/api/, against the app on the local runtime (DynamoDB Local and
 * the SQS emulator): each endpoint answers what the journal, the read models and the queues
 * hold, and refuses bad input clearly. The dead letter is real: a poison message the loyalty
 * consumer fails five times.
 */

import { EntityStore } from '@coffee-es/core';
import { DynamoJournal } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEntity } from '../../../functions/domain/index.ts';
import type { App } from '../../support/appServer.ts';
import {
  consoleApp,
  customerHistory,
  journalWrites,
  sendPoison,
  waitFor,
  writeCommits,
} from './consoleApp.ts';

let app: App;
let orderId: string;
beforeAll(async () => {
  ({ app, orderId } = await consoleApp('operatorApi'));
});
afterAll(() => app?.stop());

const operator = (path: string, method = 'GET') => app.call(method, `/_console/api/${path}`);

describe('the operator API', () => {
  it('overview: the service, the read side entity types, projections, queues and consumers', async () => {
    const { status, body } = await operator('overview');
    expect(status).toBe(200);
    expect(body.service).toBe('coffee');
    expect(body.entityTypes.map((e: { type: string }) => e.type)).toEqual([
      'Customer',
      'Order',
      'Slot',
    ]);
    expect(body.entityTypes[1].foldable).toBe(true);
    expect([...body.projections].sort()).toEqual(['availability', 'dailySales', 'orderHistory']);
    expect(body.queues).toEqual(['events']);
    expect(body.streamConsumers).toEqual(['projector', 'relay']);
  });

  it('projections: what GET /projections answers, from the same status items', async () => {
    const mine = await operator('projections');
    const app_ = await app.call('GET', '/projections');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(app_.body);
    const history = mine.body.projections.find((p: { name: string }) => p.name === 'orderHistory');
    expect(history.processed).toBeGreaterThanOrEqual(3);
  });

  it('streams: the audit trail with positions, upcast data and command metadata', async () => {
    const { status, body } = await operator(`streams/Order/${orderId}`);
    expect(status).toBe(200);
    expect(
      body.events.map((e: { position: number; type: string }) => [e.position, e.type]),
    ).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderPaid'],
      [3, 'OrderRefunded'],
    ]);
    expect(body.events[2].data).toMatchObject({ orderId, amount: 100, reason: 'cold' });
    expect(body.events[0].commit).toMatchObject({ from: 1, to: 1, commandId: expect.any(String) });
    expect(body.version).toBe(3);
    const later = await operator(`streams/Order/${orderId}?after=1`);
    expect(later.body.events.map((e: { position: number }) => e.position)).toEqual([2, 3]);
  });

  it('streams: old events come upcast (CustomerPointsAdded v1 is read as v2)', async () => {
    await writeCommits(app, customerHistory('old', 1));
    const { body } = await operator('streams/Customer/old');
    expect(body.events[1]).toMatchObject({
      type: 'CustomerPointsAdded',
      schemaVersion: 2,
      storedSchemaVersion: 1,
      data: { customerId: 'old', points: 1, loyaltyTier: 'Bronze' },
    });
  });

  it('streams: a long stream comes a thousand events at a time, with its version', async () => {
    await writeCommits(app, customerHistory('long', 1001));
    const first = await operator('streams/Customer/long');
    expect(first.body.version).toBe(1002);
    expect(first.body.events).toHaveLength(1000);
    expect(first.body.events.at(-1).position).toBe(1000);
    const rest = await operator('streams/Customer/long?after=1000');
    expect(rest.body.events.map((e: { position: number }) => e.position)).toEqual([1001, 1002]);
    const state = await operator('streams/Customer/long/state?at=1002');
    expect(state.body).toMatchObject({ version: 1002, latest: 1002, state: { points: 1001 } });
  });

  it('state: at each position, the entity evolve folded over the events up to there', async () => {
    const { body: trail } = await operator(`streams/Order/${orderId}`);
    let expected = orderEntity.initialState();
    for (const event of trail.events) {
      expected = orderEntity.evolve(expected, { type: event.type, data: event.data } as never);
      const { status, body } = await operator(
        `streams/Order/${orderId}/state?at=${event.position}`,
      );
      expect(status).toBe(200);
      expect(body).toEqual({
        version: event.position,
        latest: 3,
        recordedAt: event.recordedAt,
        state: JSON.parse(JSON.stringify(expected)),
      });
    }
    const latest = await operator(`streams/Order/${orderId}/state`);
    expect(latest.body.state).toMatchObject({ status: 'paid', paid: 700, refunded: 100 });
    // As of a time: the events written by then (all of them, a moment after the last).
    const asOf = new Date(Date.parse(trail.events[2].recordedAt) + 1).toISOString();
    const byTime = await operator(`streams/Order/${orderId}/state?at=${asOf}`);
    expect(byTime.body).toMatchObject({ version: 3, latest: 3 });
    const before = await operator(`streams/Order/${orderId}/state?at=2000-01-01T00:00:00Z`);
    expect(before.body).toMatchObject({ version: 0, latest: 3 });
    expect((await app.call('GET', `/orders/${orderId}`)).body).toMatchObject({ refunded: 100 });
  });

  it('entities: the ids of a type', async () => {
    const { status, body } = await operator('entities/Order');
    expect(status).toBe(200);
    expect(body.entities).toContainEqual({ id: orderId, version: 3 });
  });

  it('refuses bad input with a clear status and detail', async () => {
    const unknown = await operator('streams/Nope/x');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe(
      'No entity type Nope (the read side declares: Customer, Order, Slot)',
    );
    const badAt = await operator(`streams/Order/${orderId}/state?at=two`);
    expect(badAt.status).toBe(400);
    expect(badAt.body.detail).toMatch(/at must be a position/);
    const beyond = await operator(`streams/Order/${orderId}/state?at=9`);
    expect(beyond.status).toBe(404);
    expect(beyond.body.detail).toBe(`Order ${orderId} is at 3: no position 9`);
    expect((await operator('streams/Order/nobody/state')).status).toBe(404);
    expect((await operator(`streams/Order/${orderId}?after=-1`)).status).toBe(400);
    expect((await operator('streams/Order/%E0%A4%A')).status).toBe(400);
    expect((await operator('nothing-here')).status).toBe(404);
    expect((await operator('queues/events/redrive')).status).toBe(405);
    expect((await operator('queues/nope/redrive', 'POST')).status).toBe(404);
    expect((await operator('queues/nope/dead-letters')).status).toBe(404);
  });

  it('metrics: every commit counted off the stream, and the conflicts of contended commands', async () => {
    await app.settle();
    const writesBefore = await journalWrites(app);
    // Still: the meter has counted what came before (it polls every quarter of a second).
    let last = -1;
    const before = await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 600));
      const totals = (await operator('metrics')).body.totals;
      const still = totals.commits === last;
      last = totals.commits;
      return still ? totals : undefined;
    });
    // A conflict for sure, whatever the machine's load: two stores of this process on the app's
    // journal (the meter hears every store here), one warm, the other writing behind its back,
    // so the warm one's next append finds its version taken, and is retried.
    const env = app.runtime.environment;
    const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
    const journal = new DynamoJournal({ client, tableName: app.runtime.tableNames.journal ?? '' });
    const [warm, other] = [
      new EntityStore(orderEntity, { journal }),
      new EntityStore(orderEntity, { journal }),
    ];
    const refund = { type: 'RefundOrder', data: { amount: 1, reason: 'rush' } } as const;
    await warm.execute(orderId, refund);
    await other.execute(orderId, refund);
    await warm.execute(orderId, refund);
    client.destroy();
    // And refunds over HTTP at once, as clients send them (they may or may not collide).
    const refunds = await Promise.all(
      [1, 2].map(() =>
        app.call('POST', `/orders/${orderId}/refunds`, { amount: 1, reason: 'rush' }),
      ),
    );
    expect(refunds.map((r) => r.status)).toEqual([200, 200]);
    await app.settle(); // the loyalty consumer notes each refund on the customer: commits too
    const written = (await journalWrites(app)) - writesBefore;
    expect(written).toBeGreaterThanOrEqual(5);
    const after = await waitFor(async () => {
      const totals = (await operator('metrics')).body.totals;
      return totals.commits >= before.commits + written ? totals : undefined;
    });
    expect(after.commits).toBe(before.commits + written);
    expect(after.events).toBeGreaterThanOrEqual(before.events + 5);
    expect(after.conflicts).toBeGreaterThan(before.conflicts);
    const { body } = await operator('metrics');
    expect(body.bucketSeconds).toBe(10);
    expect(body.buckets).toHaveLength(60);
    expect(body.buckets.at(-1).commits + body.buckets.at(-2).commits).toBeGreaterThanOrEqual(5);
  });

  it('queues: depths, a peek that leaves the dead letter, and the redrive that brings it back', async () => {
    await sendPoison(app, 'operator-api-poison');
    // maxReceiveCount 5 with a 1 s visibility timeout: in the dead-letter queue within seconds.
    const depths = await waitFor(async () => {
      const { body } = await operator('queues');
      return body.queues[0].deadLetters === 1 ? body : undefined;
    });
    expect(depths.queues[0]).toMatchObject({ queue: 'events', messages: 0 });
    expect(depths.failures.map((f: { consumer: string }) => f.consumer)).toEqual([
      'projector',
      'relay',
    ]);
    for (const _ of [1, 2]) {
      const peeked = await operator('queues/events/dead-letters');
      expect(peeked.body.messages).toHaveLength(1);
      expect(peeked.body.messages[0]).toMatchObject({
        body: '{"not":"an event"}',
        groupId: 'poison',
      });
    }
    const loyalty = app.runtime.workers?.queuePollers.loyalty;
    const received = loyalty?.stats.received ?? 0;
    const redriven = await operator('queues/events/redrive', 'POST');
    expect(redriven).toMatchObject({ status: 200, body: { method: 'by-hand', messages: 1 } });
    // Back in the events queue, the consumer receives it again.
    await waitFor(async () => ((loyalty?.stats.received ?? 0) > received ? true : undefined));
  });
});
