/** Rebuilding read models from the journal gives exactly what the live projector built. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { rebuildProjections } from '@coffee-es/core';
import { DynamoJournal, DynamoReadModelStore } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSide } from '../../../functions/projections/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { readModelItems } from '../../support/readSide.ts';

let app: App;
let client: DynamoDBClient;
let paidOrders = 0;
const today = () => new Date().toISOString().slice(0, 10);

async function order(cents: number, customerId?: string, refund?: number) {
  const placed = await app.call('POST', '/branches/b1/orders', {
    items: [{ sku: 'beans', quantity: 1, unitPrice: cents }],
    ...(customerId ? { customerId } : {}),
  });
  const id = placed.body.orderId as string;
  await app.call('POST', `/orders/${id}/payment`, { amount: cents });
  paidOrders += 1;
  if (refund) await app.call('POST', `/orders/${id}/refunds`, { amount: refund, reason: 'r' });
}

const rebuild = () =>
  rebuildProjections({
    journal: new DynamoJournal({ client, tableName: app.runtime.tableNames.journal as string }),
    store: new DynamoReadModelStore(client, app.runtime.tableNames.readModels as string),
    projections: readSide.projections,
    schemas: readSide.eventSchemas,
  });
const readModels = () => readModelItems(client, app.runtime.tableNames.readModels as string);

beforeAll(async () => {
  app = await startApp('rebuild');
  const env = app.runtime.environment;
  client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID as string, env.AWS_REGION);
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  for (const id of ['c1', 'c2']) {
    await app.call('POST', '/customers', { customerId: id, name: id, email: `${id}@x.io` });
  }
  await order(1_250, 'c1');
  await order(3_000, 'c2', 1_000);
  await order(700);
  await app.call('PUT', '/branches/b1/slots/s1', { startsAt: '2030-01-01T09:00:00Z', capacity: 5 });
  await app.call('POST', '/branches/b1/slots/s1/reservations', { quantity: 2 });
  await app.settle();
});
afterAll(async () => {
  client?.destroy();
  await app?.stop();
});

describe('rebuild', () => {
  it('rebuilds every read model to exactly the live one', async () => {
    const live = await readModels();
    expect(Object.keys(live).length).toBeGreaterThan(5);
    const result = await rebuild();
    expect(result.dropped).toBe(Object.keys(live).length);
    expect(result.events).toBeGreaterThanOrEqual(9);
    expect(await readModels()).toEqual(live);
  });

  it('hands over to the live stream without counting anything twice', async () => {
    // Commands keep coming while the rebuild runs. The projector is paused meanwhile (a live
    // counter write racing the drop could keep an aggregate whose marker was dropped), and
    // takes over afterwards from where it stopped: what the rebuild already replayed it skips.
    const workers = app.runtime.workers;
    if (!workers) throw new Error('workers expected');
    await workers.pause('projector');
    await Promise.all([rebuild(), order(900, 'c1'), order(400)]);
    workers.resume('projector');
    await app.settle();
    const afterHandover = await readModels();
    expect(afterHandover[`Sales#b1#${today()}|total`]).toMatchObject({
      paidOrders,
      revenue: 1_250 + 3_000 + 700 + 900 + 400,
      refunds: 1_000,
    });
    expect(
      Object.keys(afterHandover).filter((k) => k.startsWith('CustomerOrders#c1|')),
    ).toHaveLength(2);
    await rebuild();
    expect(await readModels()).toEqual(afterHandover);
  });
});
