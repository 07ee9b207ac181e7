/**
 * Customers' orders and Idempotency-Keys with authorization on: an order is its customer's to
 * read, pay and cancel; a key is scoped by the token's subject, so two callers' equal keys are two
 * independent commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let app: App;
let proxy: FaultProxy;
let staff: Record<string, string>;
let ana: Record<string, string>;
let bob: Record<string, string>;

const tokenFor = async (subject: string, scope: string) => ({
  authorization: `Bearer ${await app.auth?.sign({ subject, scopes: [scope] })}`,
});
const items = [{ sku: 'latte', quantity: 2, unitPrice: 350 }];

beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('ownership', {
    auth: true,
    workers: false,
    dynamoEndpoint: proxy.endpoint,
  });
  staff = await tokenFor('till-1', 'coffee/staff');
  ana = await tokenFor('ana', 'coffee/customer');
  bob = await tokenFor('bob', 'coffee/customer');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' }, staff);
  await app.call('POST', '/customers', { name: 'Ana', email: 'ana@x.io' }, ana);
  await app.call('POST', '/customers', { name: 'Bob', email: 'bob@x.io' }, bob);
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

const expectForbidden = (answer: Answer) => {
  expect(answer.status).toBe(403);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body.code).toBe('forbidden');
};

async function placeAs(headers: Record<string, string>, extra: Record<string, unknown> = {}) {
  const placed = await app.call('POST', '/branches/b1/orders', { items, ...extra }, headers);
  expect(placed.status).toBe(201);
  return placed.body as { orderId: string; customerId?: string };
}

describe('orders of customers, authorization on', () => {
  it("binds a customer's order to them; another customer may not read, pay or cancel it", async () => {
    const order = await placeAs(ana);
    expect(order.customerId).toBe('ana');
    const at = `/orders/${order.orderId}`;
    const before = await app.commits(`Order#${order.orderId}`);
    expectForbidden(await app.call('GET', at, undefined, bob));
    expectForbidden(await app.call('GET', `${at}/events`, undefined, bob));
    expectForbidden(await app.call('POST', `${at}/payment`, { amount: 700 }, bob));
    expectForbidden(await app.call('POST', `${at}/cancellation`, {}, bob));
    expect(await app.commits(`Order#${order.orderId}`)).toBe(before);
    // Someone else's order that does not exist is 404 as for anyone.
    expect((await app.call('POST', '/orders/nope/payment', { amount: 1 }, bob)).status).toBe(404);
    const paid = await app.call('POST', `${at}/payment`, { amount: 700 }, ana);
    expect(paid.status).toBe(200);
    expect(paid.headers.get('cache-control')).toBe('no-store');
    expect((await app.call('GET', at, undefined, ana)).body.status).toBe('paid');
    // Fulfilment and refunds are staff's: a customer's own order does not change that.
    expectForbidden(await app.call('POST', `${at}/ready`, {}, ana));
    expectForbidden(await app.call('POST', `${at}/refunds`, { amount: 1, reason: 'x' }, ana));
    expect((await app.call('POST', `${at}/ready`, {}, staff)).status).toBe(200);
  });

  it('checks ownership on the state the command is decided on: no read of its own, even throttled', async () => {
    const order = await placeAs(ana);
    const at = `/orders/${order.orderId}`;
    // The order is in this container's cache: the check reads nothing, so a throttled Query
    // changes nothing, and someone else's payment is refused without a request.
    const off = proxy.inject({ operation: 'Query', fault: 'throttle' });
    try {
      const calls = await proxy.during(async () => {
        expectForbidden(await app.call('POST', `${at}/payment`, { amount: 700 }, bob));
      });
      expect(calls.filter((c) => c.operation === 'Query' || c.operation === 'GetItem')).toEqual([]);
      const paid = await proxy.during(async () => {
        expect((await app.call('POST', `${at}/payment`, { amount: 700 }, ana)).status).toBe(200);
      });
      expect(paid.map((c) => c.operation)).toEqual(['PutItem']);
    } finally {
      off();
    }
    expect(await app.commits(`Order#${order.orderId}`)).toBe(2);
  });

  it('refuses an order placed in the name of another customer (after that customer’s 404)', async () => {
    expectForbidden(
      await app.call('POST', '/branches/b1/orders', { customerId: 'ana', items }, bob),
    );
    const ghost = await app.call(
      'POST',
      '/branches/b1/orders',
      { customerId: 'ghost', items },
      bob,
    );
    expect(ghost.body.code).toBe('customer-not-found');
    // Staff may place one for any customer, or for none.
    expect((await placeAs(staff, { customerId: 'ana' })).customerId).toBe('ana');
    expect((await placeAs(staff)).customerId).toBeUndefined();
  });

  it('an order placed without a customer belongs to no customer', async () => {
    const counter = await placeAs(staff);
    expectForbidden(await app.call('GET', `/orders/${counter.orderId}`, undefined, ana));
    expect((await app.call('GET', `/orders/${counter.orderId}`, undefined, staff)).status).toBe(
      200,
    );
  });

  it("keeps a customer's reservation theirs to release; another customer's try frees nothing", async () => {
    const slot = '/branches/b1/slots/s1';
    await app.call('PUT', slot, { startsAt: '2030-06-01T08:30:00Z', capacity: 10 }, staff);
    const mine = await app.call('POST', `${slot}/reservations`, { quantity: 3 }, ana);
    expect(mine.status).toBe(201);
    const at = `/reservations/${mine.body.reservationId}`;
    // Reservation ids are numbered (…r1, …r2): easy to guess, so the holder is what protects them.
    expectForbidden(await app.call('DELETE', at, undefined, bob));
    expect((await app.call('GET', slot, undefined, bob)).body.remaining).toBe(7);
    expect((await app.call('DELETE', '/reservations/b1.s1.r99', undefined, bob)).status).toBe(404);
    expect((await app.call('DELETE', at, undefined, ana)).body).toMatchObject({ remaining: 10 });
    // Staff's reservations are staff's to release.
    const counter = await app.call('POST', `${slot}/reservations`, { quantity: 1 }, staff);
    const counterAt = `/reservations/${counter.body.reservationId}`;
    expectForbidden(await app.call('DELETE', counterAt, undefined, ana));
    expect((await app.call('DELETE', counterAt, undefined, staff)).status).toBe(200);
  });

  it('treats the same Idempotency-Key from two subjects as two independent commands', async () => {
    const key = { 'idempotency-key': 'breakfast-1' };
    const first = await app.call('POST', '/branches/b1/orders', { items }, { ...ana, ...key });
    const second = await app.call('POST', '/branches/b1/orders', { items }, { ...bob, ...key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.orderId).not.toBe(first.body.orderId);
    expect([first.body.customerId, second.body.customerId]).toEqual(['ana', 'bob']);
    // Each subject's repeat replays its own answer and appends nothing.
    const again = await app.call('POST', '/branches/b1/orders', { items }, { ...bob, ...key });
    expect(again.body).toEqual(second.body);
    expect(await app.commits(`Order#${second.body.orderId}`)).toBe(1);
    // A key taken by one caller does not block another's different request.
    const pay = { 'idempotency-key': 'pay-1' };
    const anaPays = await app.call(
      'POST',
      `/orders/${first.body.orderId}/payment`,
      { amount: 700 },
      { ...ana, ...pay },
    );
    const bobPays = await app.call(
      'POST',
      `/orders/${second.body.orderId}/payment`,
      { amount: 1 },
      { ...bob, ...pay },
    );
    expect(anaPays.status).toBe(200);
    expect(bobPays.body.code).toBe('amount-mismatch'); // his own refusal, not 422 for ana's key
  });
});
