/**
 * Loyalty exactly once without a window, against DynamoDB Local through a fault proxy (what is
 * counted is what reaches the wire): a refund of an order older than 500 newer credited orders
 * takes its points back; the credit and the refund redelivered a month later (the store's clock
 * moved on) count once; a refund whose credit never came brings it, and the late credit then
 * counts nothing; an answer lost after the transaction landed counts once.
 */

import { EntityStores } from '@coffee-es/core';
import { ClaimingJournal, DynamoJournal } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/app/config.ts';
import { createDeps } from '../../functions/app/deps.ts';
import { applyLoyalty, type RelayedOrderEvent } from '../../functions/app/loyalty.ts';
import { loyaltyClaims } from '../../functions/app/loyaltyClaims.ts';
import { type App, startApp } from '../support/appServer.ts';
import { type FaultProxy, type ProxiedCall, startFaultProxy } from '../support/faultProxy.ts';
import { dynamoEndpoint } from '../support/localStack.ts';

let app: App;
let proxy: FaultProxy;
let deps: ReturnType<typeof createDeps>;
const day = 24 * 3600 * 1000;

beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('loyaltyLedger', { workers: false });
  for (const id of ['c1', 'c2', 'c3']) {
    await app.call('POST', '/customers', { customerId: id, name: id, email: `${id}@x.io` });
  }
  deps = createDeps(loadConfig({ ...app.runtime.environment, DYNAMODB_ENDPOINT: proxy.endpoint }));
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

/** The stores of a consumer whose clock is `offsetMs` ahead (a month-late redelivery). */
function customersLater(offsetMs: number) {
  const env = app.runtime.environment;
  const client = clientFor(proxy.endpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  const tableName = env.JOURNAL_TABLE as string;
  const clock = () => new Date(Date.now() + offsetMs);
  const journal = new ClaimingJournal({
    client,
    tableName,
    journal: new DynamoJournal({ client, tableName }),
    claimsOf: loyaltyClaims,
    clock,
  });
  return { stores: new EntityStores({ journal, clock }) };
}

let positions = 0;
/** An order event as the consumer hands it over (upcast: these are of the current version). */
function relayed(
  orderId: string,
  type: RelayedOrderEvent['type'],
  data: Record<string, unknown>,
): RelayedOrderEvent {
  const position = ++positions;
  return {
    eventId: `Order#${orderId}@${position}`,
    streamId: `Order#${orderId}`,
    entityType: 'Order',
    position,
    type,
    schemaVersion: 1,
    data: { orderId, branchId: 'b1', ...data },
    recordedAt: new Date().toISOString(),
    commandId: `cmd-${position}`,
  } as RelayedOrderEvent;
}
const paid = (customerId: string, orderId: string, amount: number) =>
  relayed(orderId, 'OrderPaid', {
    customerId,
    amount,
    total: amount,
    paidAt: new Date().toISOString(),
  });
const refunded = (customerId: string, orderId: string, amount: number, paidTotal: number) =>
  relayed(orderId, 'OrderRefunded', {
    customerId,
    amount,
    reason: 'cold',
    paid: paidTotal,
    refundedTotal: amount,
    refundedAt: new Date().toISOString(),
  });

const customer = async (id: string) => (await app.call('GET', `/customers/${id}`)).body;
const units = (calls: readonly ProxiedCall[]) =>
  calls.reduce((sum, c) => {
    const used = c.output.ConsumedCapacity as { CapacityUnits?: number }[] | undefined;
    return sum + (used ?? []).reduce((n, u) => n + (u.CapacityUnits ?? 0), 0);
  }, 0);

const transactItems = (calls: readonly ProxiedCall[]) =>
  calls.map((c) => (c.input.TransactItems as unknown[] | undefined)?.length ?? 0);

describe('loyalty without a window', () => {
  it('takes back the points of an order older than 500 newer credited orders; a month-late redelivery counts once', async () => {
    const old = paid('c1', 'old', 10_000); // 100 points
    expect(await applyLoyalty(deps, old)).toBe('applied');
    for (let i = 0; i < 500; i++) {
      expect(await applyLoyalty(deps, paid('c1', `new${i}`, 100))).toBe('applied');
    }
    expect(await customer('c1')).toMatchObject({ points: 600, orderCount: 501 });

    const refund = refunded('c1', 'old', 10_000, 10_000);
    const calls = await proxy.during(async () => {
      expect(await applyLoyalty(deps, refund)).toBe('applied');
    });
    expect(await customer('c1')).toMatchObject({
      points: 500,
      lifetimePoints: 600,
      orderCount: 501,
    });
    // A refund on a warm container: one transaction (commit, its claim, the credit's check).
    expect(calls.map((c) => c.operation)).toEqual(['TransactWriteItems']);
    expect(transactItems(calls)).toEqual([3]);
    console.info(
      `refund: ${calls.length} request(s), 3 items, ${units(calls)} WCU reported locally, ${3 * 2} billed by AWS`,
    );

    const monthLater = customersLater(31 * day);
    expect(await applyLoyalty(monthLater, old)).toBe('no-effect');
    expect(await applyLoyalty(monthLater, refund)).toBe('no-effect');
    expect(await applyLoyalty(deps, old)).toBe('no-effect');
    expect(await customer('c1')).toMatchObject({ points: 500, orderCount: 501 });
  });

  it('costs one transaction per credit on a warm container', async () => {
    await applyLoyalty(deps, paid('c2', 'warm-up', 300));
    const calls = await proxy.during(() => applyLoyalty(deps, paid('c2', 'measured', 4_900)));
    expect(calls.map((c) => c.operation)).toEqual(['TransactWriteItems']);
    // The commit and its claim, each under 1 KB: AWS bills 2 WCU per transactional item (4 in
    // all); DynamoDB Local reports fewer, so both are printed and the items are asserted.
    expect(transactItems(calls)).toEqual([2]);
    const credit = units(calls);
    expect(credit).toBeGreaterThan(0);
    const repeat = await proxy.during(() => applyLoyalty(deps, paid('c2', 'measured', 4_900)));
    expect(repeat.map((c) => c.operation)).toEqual(['TransactWriteItems']);
    console.info(
      `credit: ${calls.length} request(s), ${transactItems(calls)} item(s), ${credit} WCU reported locally, ${2 * 2} billed by AWS; repeat: ${repeat.length} request(s), refused`,
    );
    expect(await customer('c2')).toMatchObject({ points: 52, orderCount: 2 });
  });

  it('brings a dead-lettered credit along with its refund; the late credit then counts nothing', async () => {
    const credit = paid('c3', 'late', 1_299); // 12 points
    const refund = refunded('c3', 'late', 500, 1_299); // worth 7 afterwards
    expect(await applyLoyalty(deps, refund)).toBe('applied');
    expect(await customer('c3')).toMatchObject({ points: 7, lifetimePoints: 12, orderCount: 1 });
    expect(await applyLoyalty(customersLater(20 * day), credit)).toBe('no-effect');
    expect(await applyLoyalty(deps, refund)).toBe('no-effect');
    expect(await customer('c3')).toMatchObject({ points: 7, lifetimePoints: 12, orderCount: 1 });
  });

  it('counts a credit once when the answer to its transaction is lost after it landed', async () => {
    const before = await customer('c3');
    const lost = proxy.inject({ operation: 'TransactWriteItems', fault: 'lost-answer', times: 1 });
    const credit = paid('c3', 'lost', 2_000);
    const outcome = await applyLoyalty(deps, credit).catch((error: unknown) => error);
    lost();
    expect(proxy.injected()).toBeGreaterThan(0);
    // Whatever the first delivery answered, the redelivery finds the claim.
    expect(await applyLoyalty(deps, credit)).toBe('no-effect');
    expect(outcome === 'applied' || outcome instanceof Error).toBe(true);
    expect(await customer('c3')).toMatchObject({
      points: before.points + 20,
      orderCount: before.orderCount + 1,
    });
  });
});
