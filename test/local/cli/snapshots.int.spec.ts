/**
 * `coffee-es snapshots backfill` against the local stack, with its workers running. Backfilling
 * orders while refunds keep arriving on the same orders: no command fails, and afterwards every
 * order loads (from the backfilled snapshot) the state its events replay to. A newer state schema
 * rewrites every snapshot; the older one then never replaces a newer one. Bad input: exit 2.
 */
import { DynamoJournal } from '@coffee-es/dynamodb';
import { clientFor, currentState, stateAt } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEntity } from '../../../functions/domain/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { driveOrder, openShop } from './orderTrail.ts';
import { type QueueCli, queueCli } from './queueCli.ts';

let app: App;
let cli: QueueCli;
let newer: QueueCli;
let journal: DynamoJournal;
let close: () => void;
const orders: string[] = [];
beforeAll(async () => {
  app = await startApp('cliSnapshots');
  cli = await queueCli(app.runtime);
  newer = await queueCli(app.runtime, { system: 'test/local/cli/fixtures/orderStateV2.ts' });
  const { runtime } = app;
  const client = clientFor(
    runtime.dynamoEndpoint,
    runtime.environment.AWS_ACCESS_KEY_ID ?? '',
    runtime.environment.AWS_REGION,
  );
  journal = new DynamoJournal({ client, tableName: runtime.tableNames.journal as string });
  close = () => client.destroy();
  await openShop(app);
  for (let i = 0; i < 6; i++) orders.push(await driveOrder(app, `s${i}`));
}, 120_000);
afterAll(async () => {
  close?.();
  await cli?.close();
  await newer?.close();
  await app?.stop();
});

interface Backfilled {
  streams: number;
  written: number;
  current: number;
  newerKept: number;
  tooLarge: string[];
}
const backfill = async (on: QueueCli) => {
  const run = await on.run('snapshots', 'backfill', 'Order', '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Backfilled;
};
const usable = (version: number) => (s: { schemaVersion: number }) => s.schemaVersion === version;
/** The schema version of the snapshot a load of the order stops at (undefined: none). */
const snapshotLoaded = async (orderId: string, version: number) =>
  (
    await journal.loadLatest(`Order#${orderId}`, usable(version), {
      pageSize: 25,
      consistent: true,
    })
  ).commits[0]?.snapshot?.schemaVersion;

describe('coffee-es snapshots backfill', () => {
  it('writes fresh snapshots while commands keep arriving; none fails; loads equal replays', async () => {
    expect(await Promise.all(orders.map((o) => snapshotLoaded(o, 1)))).toEqual(
      orders.map(() => undefined),
    );
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        const orderId = orders[i % orders.length] as string;
        const answer = await app.call('POST', `/orders/${orderId}/refunds`, {
          amount: 1,
          reason: `r${i}`,
        });
        statuses.push(answer.status);
      }
    })();
    const done = await backfill(cli);
    const duringBackfill = statuses.length;
    running = false;
    await load;
    expect(duringBackfill).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(done).toMatchObject({ streams: 6, written: 6, current: 0, newerKept: 0, tooLarge: [] });
    for (const orderId of orders) {
      expect(await snapshotLoaded(orderId, 1), orderId).toBe(1);
      const loaded = await currentState(journal, orderEntity, orderId);
      const replayed = await stateAt(journal, orderEntity, orderId, { position: 1e9 });
      expect(loaded?.version).toBe(replayed.latest);
      expect(loaded?.state, orderId).toEqual(replayed.state);
      const served = await app.call('GET', `/orders/${orderId}`);
      expect(served.body.version).toBe(replayed.latest);
    }
    console.log(`backfill: ${done.written} snapshots written while ${duringBackfill} refunds ran`);
    // A second run finds them current.
    expect(await backfill(cli)).toMatchObject({ streams: 6, written: 0, current: 6 });
    await app.settle();
  });

  it('rewrites snapshots of an old state schema; an older schema never replaces a newer one', async () => {
    // A commit carries one snapshot: one more command on each order keeps the state schema 1
    // snapshots on commits of their own, below the latest that the newer backfill writes to.
    for (const orderId of orders) {
      const refund = await app.call('POST', `/orders/${orderId}/refunds`, {
        amount: 1,
        reason: 'v2',
      });
      expect(refund.status).toBe(200);
    }
    expect(await backfill(newer)).toMatchObject({ streams: 6, written: 6, current: 0 });
    const placed = await app.call('POST', '/branches/b1/orders', {
      customerId: 'c1',
      items: [{ sku: 'tea', quantity: 1, unitPrice: 300 }],
    });
    const fresh = placed.body.orderId as string;
    expect(await backfill(newer)).toMatchObject({ streams: 7, written: 1, current: 6 });
    expect(await snapshotLoaded(fresh, 2)).toBe(2);
    // The older deployment's backfill: its own snapshots further back are current; the fresh
    // order's only commit carries the newer one, which stays.
    expect(await backfill(cli)).toMatchObject({ streams: 7, written: 0, current: 6, newerKept: 1 });
    expect(
      (await journal.readAt(`Order#${fresh}`, 1, { consistent: true }))?.snapshot,
    ).toMatchObject({ schemaVersion: 2 });
    // The app (state schema 1) still loads and commands the orders.
    const paid = await app.call('POST', `/orders/${fresh}/payment`, { amount: 300 });
    expect(paid.status).toBe(200);
    expect(paid.body.version).toBe(2);
  });

  it('refuses bad input with exit 2, listing the known entity types', async () => {
    const cases: [string[], RegExp][] = [
      [['snapshots'], /No snapshots command given/],
      [['snapshots', 'prune', 'Order'], /Unknown snapshots command: prune/],
      [['snapshots', 'backfill'], /Which entity type\? Known: Customer, Order, Slot/],
      [['snapshots', 'backfill', 'Cart'], /Unknown entity type: Cart Known: Customer, Order, Slot/],
    ];
    for (const [args, message] of cases) {
      const run = await cli.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
