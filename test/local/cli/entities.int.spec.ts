/**
 * `coffee-es entities` against the local stack: every order id with its version, over orders
 * driven over HTTP (one with a refused keyed payment, whose note sits above its last commit) and
 * 3,000 more written straight into the journal (pages of the streams index); JSON Lines alone on
 * stdout; bad input exit 2, an unknown type listing the known ones.
 */

import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { driveOrder, openShop } from './orderTrail.ts';
import { type QueueCli, queueCli } from './queueCli.ts';

let app: App;
let cli: QueueCli;
const expected = new Map<string, number>();
beforeAll(async () => {
  app = await startApp('cliEntities', { workers: false });
  cli = await queueCli(app.runtime);
  await openShop(app);
  expected.set(await driveOrder(app, 'a'), 6);
  const placed = await app.call('POST', '/branches/b1/orders', {
    customerId: 'c1',
    items: [{ sku: 'tea', quantity: 1, unitPrice: 300 }],
  });
  const refused = await app.call(
    'POST',
    `/orders/${placed.body.orderId}/payment`,
    { amount: 1 },
    { 'idempotency-key': 'wrong-amount' },
  );
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expected.set(placed.body.orderId, 1);
  const runtime = app.runtime;
  const client = clientFor(
    runtime.dynamoEndpoint,
    runtime.environment.AWS_ACCESS_KEY_ID ?? '',
    runtime.environment.AWS_REGION,
  );
  const commits = Array.from({ length: 3_000 }, (_, i) => {
    const events = 1 + (i % 3);
    expected.set(`bulk-${i}`, events);
    return {
      streamId: `Order#bulk-${i}`,
      entityType: 'Order',
      from: 1,
      to: events,
      events: Array.from({ length: events }, () => ({
        type: 'OrderReady',
        schemaVersion: 1,
        data: {},
      })),
      recordedAt: new Date().toISOString(),
      commandId: `bulk-${i}`,
    };
  });
  await writeCommitsInBatches(client, runtime.tableNames.journal as string, commits);
  client.destroy();
}, 120_000);
afterAll(async () => {
  await cli?.close();
  await app?.stop();
});

describe('coffee-es entities', () => {
  it('lists every entity of the type with its version (--json: JSON Lines)', async () => {
    const started = Date.now();
    const run = await cli.run('entities', 'Order', '--json');
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.stderr).toBe(0);
    const listed = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; version: number });
    expect(listed).toHaveLength(expected.size);
    expect(new Map(listed.map((e) => [e.id, e.version]))).toEqual(expected);
    expect(run.stderr).toContain(`${expected.size} Order entities`);
    console.log(`entities: ${listed.length} orders listed in ${seconds.toFixed(1)} s`);
  });

  it('prints an id and a version per line for people', async () => {
    const run = await cli.run('entities', 'Customer');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('c1\t1\n');
  });

  it('refuses bad input with exit 2, listing the known entity types', async () => {
    const cases: [string[], RegExp][] = [
      [['entities'], /Which entity type\? Known: Customer, Order, Slot/],
      [['entities', 'Cart'], /Unknown entity type: Cart Known: Customer, Order, Slot/],
      [['entities', 'Order', 'o-1'], /Unexpected argument: o-1/],
      [['entities', 'Order', '--all'], /Unknown option: --all/],
    ];
    for (const [args, message] of cases) {
      const run = await cli.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});
