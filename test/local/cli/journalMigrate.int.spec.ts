/**
 * `journal migrate` on a live system: a journal of 20,000+ events (seeded directly) is copied
 * into a new table while commands keep arriving over HTTP (customers, orders, payments, refunds,
 * and the loyalty points they earn through the queue); the parity report is clean, and the new
 * table alone rebuilds read models identical to the ones the live projector built.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { rebuildProjections } from '@coffee-es/core';
import {
  DynamoJournal,
  DynamoReadModelStore,
  ensureTables,
  readModelTable,
} from '@coffee-es/dynamodb';
import { clientFor, migrateJournal } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parity } from '../../../functions/app/cli.ts';
import { readSide } from '../../../functions/projections/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { seedOrders } from '../../support/journalSeed.ts';
import { allItems, ensureCopyTables } from '../../support/journalTables.ts';
import { readModelItems } from '../../support/readSide.ts';

let app: App;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let journal: string;
beforeAll(async () => {
  app = await startApp('journalMigrate');
  const env = app.runtime.environment;
  const accessKeyId = env.AWS_ACCESS_KEY_ID as string;
  client = clientFor(app.runtime.dynamoEndpoint, accessKeyId, env.AWS_REGION);
  streams = new DynamoDBStreamsClient({
    endpoint: app.runtime.dynamoEndpoint,
    region: env.AWS_REGION as string,
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
  journal = app.runtime.tableNames.journal as string;
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await seedOrders(client, journal, { events: 20_000, branchId: 'b1', day: '2026-11-30' });
}, 600_000);
afterAll(async () => {
  client?.destroy();
  streams?.destroy();
  await app?.stop();
});

/** Commands over HTTP, one after another, until told to stop; how many answered 2xx. */
function keepCommanding() {
  let stopped = false;
  let done = 0;
  const run = (async () => {
    for (let n = 1; !stopped; n++) {
      const customerId = `live-${n}`;
      const ok = (answer: { status: number }) => {
        if (answer.status >= 300) throw new Error(`command answered ${answer.status}`);
        done++;
      };
      ok(
        await app.call('POST', '/customers', {
          customerId,
          name: 'Live',
          email: `${customerId}@x.io`,
        }),
      );
      const cents = 1_000 + n * 10;
      const placed = await app.call('POST', '/branches/b1/orders', {
        customerId,
        items: [{ sku: 'flat-white', quantity: 1, unitPrice: cents }],
      });
      ok(placed);
      ok(await app.call('POST', `/orders/${placed.body.orderId}/payment`, { amount: cents }));
      if (n % 3 === 0)
        ok(
          await app.call('POST', `/orders/${placed.body.orderId}/refunds`, {
            amount: 300,
            reason: 'spilt',
          }),
        );
      // A steady trickle, not a flood: enough to land during every phase of the copy.
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    get done() {
      return done;
    },
    stop: async () => {
      stopped = true;
      await run;
    },
  };
}

describe('journal migrate', () => {
  it('copies 20,000+ events live, reports parity, and the copy rebuilds the same read models', async () => {
    await ensureCopyTables(client, ['journal-v2']);
    const load = keepCommanding();
    let duringCopy = 0;
    const result = await migrateJournal({
      client,
      streams,
      source: journal,
      target: 'journal-v2',
      parity,
      beforeReport: async () => {
        // The cut-over: the old path's writers stop; what they wrote is settled and caught up.
        duringCopy = load.done;
        await load.stop();
        await app.settle();
      },
    });
    expect(duringCopy).toBeGreaterThan(10);
    expect(result.caughtUp).toBeGreaterThan(0);
    expect(result.report.differences).toEqual([]);
    expect(result.report.clean).toBe(true);
    const orders = result.report.types.Order;
    expect(orders?.source.events).toBeGreaterThanOrEqual(20_000);
    expect(orders?.target).toEqual(orders?.source);
    expect(result.report.types.Customer?.source.sums['CustomerPointsAdded.points']).toBeGreaterThan(
      0,
    );
    expect(result.report.otherItems['state Branch']).toEqual({ source: 1, target: 1 });
    expect(await allItems(client, 'journal-v2')).toEqual(await allItems(client, journal));
    // The copy alone rebuilds the read models the live projector built.
    await ensureTables(client, { 'read-models-v2': readModelTable });
    await rebuildProjections({
      journal: new DynamoJournal({ client, tableName: 'journal-v2' }),
      store: new DynamoReadModelStore(client, 'read-models-v2'),
      projections: readSide.projections,
      schemas: readSide.eventSchemas,
    });
    const live = await readModelItems(client, app.runtime.tableNames.readModels as string);
    expect(Object.keys(live).length).toBeGreaterThan(10);
    expect(await readModelItems(client, 'read-models-v2')).toEqual(live);
  }, 1_500_000);
});
