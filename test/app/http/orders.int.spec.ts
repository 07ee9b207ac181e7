import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('orders');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(() => app?.stop());

const items = [
  { sku: 'flat-white', quantity: 2, unitPrice: 350 },
  { sku: 'croissant', quantity: 1, unitPrice: 300 },
];

async function place(extra: Record<string, unknown> = {}) {
  const placed = await app.call('POST', '/branches/b1/orders', { items, ...extra });
  expect(placed.status).toBe(201);
  return placed.body.orderId as string;
}

describe('orders', () => {
  it('runs place → pay → ready → collect, each answer carrying the new version', async () => {
    const placed = await app.call('POST', '/branches/b1/orders', { customerId: 'c1', items });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      branchId: 'b1',
      customerId: 'c1',
      items,
      total: 1000,
      status: 'placed',
      version: 1,
    });
    const id = placed.body.orderId;
    const paid = await app.call('POST', `/orders/${id}/payment`, { amount: 1000 });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paid: 1000, refunded: 0, version: 2 });
    expect(paid.headers.get('etag')).toBe('"2"');
    expect((await app.call('POST', `/orders/${id}/ready`, {})).body.status).toBe('ready');
    const collected = await app.call('POST', `/orders/${id}/collection`, {});
    expect(collected.body).toMatchObject({ status: 'collected', version: 4 });
    const read = await app.call('GET', `/orders/${id}`);
    expect(read.body).toEqual({
      orderId: id,
      branchId: 'b1',
      customerId: 'c1',
      items,
      total: 1000,
      paid: 1000,
      refunded: 0,
      status: 'collected',
      version: 4,
    });
    const trail = await app.call('GET', `/orders/${id}/events`);
    expect(trail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'OrderPlaced',
      'OrderPaid',
      'OrderReady',
      'OrderCollected',
    ]);
  });

  it('refunds up to the paid amount; fully refunded becomes refunded', async () => {
    const id = await place();
    await app.call('POST', `/orders/${id}/payment`, { amount: 1000 });
    const partial = await app.call('POST', `/orders/${id}/refunds`, {
      amount: 400,
      reason: 'cold',
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ status: 'paid', refunded: 400 });
    const over = await app.call('POST', `/orders/${id}/refunds`, { amount: 601, reason: 'x' });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('refund-exceeds-paid');
    const rest = await app.call('POST', `/orders/${id}/refunds`, { amount: 600, reason: 'cold' });
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: 1000 });
    const more = await app.call('POST', `/orders/${id}/refunds`, { amount: 1, reason: 'x' });
    expect(more.status).toBe(409);
    expect(more.body.code).toBe('invalid-transition');
    expect(await app.commits(`Order#${id}`)).toBe(4);
  });

  it('answers 409 for every illegal transition and writes nothing', async () => {
    const id = await place();
    const illegal = [
      ['ready', {}],
      ['collection', {}],
      ['refunds', { amount: 1, reason: 'x' }],
    ] as const;
    for (const [path, body] of illegal) {
      const answer = await app.call('POST', `/orders/${id}/${path}`, body);
      expect(answer.status, path).toBe(409);
      expect(answer.body.code, path).toBe('invalid-transition');
    }
    const mismatch = await app.call('POST', `/orders/${id}/payment`, { amount: 999 });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.code).toBe('amount-mismatch');
    expect(
      (await app.call('POST', `/orders/${id}/cancellation`, { reason: 'changed mind' })).status,
    ).toBe(200);
    const afterCancel = await app.call('POST', `/orders/${id}/payment`, { amount: 1000 });
    expect(afterCancel.body.code).toBe('invalid-transition');
    expect((await app.call('POST', `/orders/${id}/cancellation`, {})).body.code).toBe(
      'invalid-transition',
    );
    expect(await app.commits(`Order#${id}`)).toBe(2);
  });

  it('refuses unknown branch, unknown customer, bad items; unknown order is 404 not-found', async () => {
    const noBranch = await app.call('POST', '/branches/zz/orders', { items });
    expect(noBranch.status).toBe(404);
    expect(noBranch.body.code).toBe('branch-not-found');
    const noCustomer = await app.call('POST', '/branches/b1/orders', {
      customerId: 'ghost',
      items,
    });
    expect(noCustomer.status).toBe(404);
    expect(noCustomer.body.code).toBe('customer-not-found');
    const bad = await app.call('POST', '/branches/b1/orders', {
      items: [{ sku: 'x', quantity: 0, unitPrice: -1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/items/0/quantity',
      '/items/0/unitPrice',
    ]);
    expect((await app.call('POST', '/branches/b1/orders', { items: [] })).status).toBe(400);
    const ghost = await app.call('POST', '/orders/01GHOST/payment', { amount: 1 });
    expect(ghost.status).toBe(404);
    expect(ghost.body.code).toBe('not-found');
    expect((await app.call('GET', '/orders/01GHOST')).status).toBe(404);
    expect((await app.call('GET', '/orders/01GHOST/events')).status).toBe(404);
  });

  it('checks If-Match: a stale version is 412 and nothing is written; 404 comes first', async () => {
    const id = await place();
    const stale = await app.call(
      'POST',
      `/orders/${id}/payment`,
      { amount: 1000 },
      { 'if-match': '"5"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version-mismatch');
    const current = await app.call(
      'POST',
      `/orders/${id}/payment`,
      { amount: 1000 },
      { 'if-match': '"1"' },
    );
    expect(current.status).toBe(200);
    const ghost = await app.call(
      'POST',
      '/orders/nope/payment',
      { amount: 1 },
      { 'if-match': '"1"' },
    );
    expect(ghost.status).toBe(404);
    expect(await app.commits(`Order#${id}`)).toBe(2);
  });

  it('replays a POST with the same Idempotency-Key: same status and body, one commit', async () => {
    const key = { 'idempotency-key': 'place-once-1' };
    const first = await app.call('POST', '/branches/b1/orders', { items }, key);
    const second = await app.call('POST', '/branches/b1/orders', { items }, key);
    const third = await app.call('POST', '/branches/b1/orders', { items }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(await app.commits(`Order#${first.body.orderId}`)).toBe(1);
    const id = first.body.orderId;
    const payKey = { 'idempotency-key': 'pay-once-1' };
    const paid = await app.call('POST', `/orders/${id}/payment`, { amount: 1000 }, payKey);
    await app.call('POST', `/orders/${id}/ready`, {});
    const again = await app.call('POST', `/orders/${id}/payment`, { amount: 1000 }, payKey);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(paid.body);
    expect(again.headers.get('etag')).toBe(paid.headers.get('etag'));
    const reused = await app.call('POST', `/orders/${id}/payment`, { amount: 5 }, payKey);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
    const collectKey = { 'idempotency-key': 'collect-1' };
    const collected = await app.call('POST', `/orders/${id}/collection`, {}, collectKey);
    expect(collected.status).toBe(200);
    expect(await app.commits(`Order#${id}`)).toBe(4);
  });

  it('replays a refusal too: the same key answers the same 409 even after the state changed', async () => {
    const id = await place();
    const key = { 'idempotency-key': 'early-ready' };
    const refused = await app.call('POST', `/orders/${id}/ready`, {}, key);
    expect(refused.status).toBe(409);
    await app.call('POST', `/orders/${id}/payment`, { amount: 1000 });
    const replayed = await app.call('POST', `/orders/${id}/ready`, {}, key);
    expect(replayed.status).toBe(409);
    expect(replayed.body).toEqual(refused.body);
  });
});
