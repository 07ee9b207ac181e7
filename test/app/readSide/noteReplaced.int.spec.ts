/**
 * A keyed refusal leaves a note at the order's next position; the payment that then takes that
 * position replaces the note, so its stream record is a MODIFY. The stream consumers must treat
 * it as the new commit it is: the projector's history and daily sales and the loyalty points
 * see the payment once, and the note itself reaches no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('noteReplaced');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(() => app?.stop());

const today = () => new Date().toISOString().slice(0, 10);

describe('a commit that replaces a note', () => {
  it('reaches the projector and the relay as a new commit', async () => {
    const items = [{ sku: 'beans-1kg', quantity: 2, unitPrice: 2_450 }];
    const placed = await app.call('POST', '/branches/b1/orders', { customerId: 'c1', items });
    const orderId = placed.body.orderId as string;
    const wrong = await app.call(
      'POST',
      `/orders/${orderId}/payment`,
      { amount: 1 },
      { 'idempotency-key': 'wrong-amount' },
    );
    expect(wrong.status).toBe(409);
    await app.settle();
    const paid = await app.call('POST', `/orders/${orderId}/payment`, { amount: 4_900 });
    expect(paid.status).toBe(200);
    await app.settle();
    const sales = await app.call('GET', `/branches/b1/sales?date=${today()}`);
    expect(sales.body).toMatchObject({ paidOrders: 1, revenue: 4_900 });
    const history = await app.call('GET', '/customers/c1/orders');
    expect(history.body.orders).toEqual([expect.objectContaining({ orderId, status: 'paid' })]);
    const customer = await app.call('GET', '/customers/c1');
    expect(customer.body).toMatchObject({ points: 49, orderCount: 1 });
    const events = await app.call('GET', `/orders/${orderId}/events`);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'OrderPlaced',
      'OrderPaid',
    ]);
  });
});
