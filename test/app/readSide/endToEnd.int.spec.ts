/**
 * The read side end to end, through HTTP: commits → stream → projector and relay → SQS → loyalty
 * consumer, all run by the local runtime's workers exactly as the event-source mappings would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('readSide');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(() => app?.stop());

const today = () => new Date().toISOString().slice(0, 10);
const items = [{ sku: 'beans-1kg', quantity: 2, unitPrice: 2_450 }]; // 4,900 cents: 49 points

async function placeAndPay(customerId?: string) {
  const placed = await app.call('POST', '/branches/b1/orders', {
    items,
    ...(customerId ? { customerId } : {}),
  });
  expect(placed.status).toBe(201);
  const orderId = placed.body.orderId as string;
  expect((await app.call('POST', `/orders/${orderId}/payment`, { amount: 4_900 })).status).toBe(
    200,
  );
  return orderId;
}

describe('the read side', () => {
  it('shows a paid order in the history, the daily sales and the points; a refund takes back', async () => {
    const orderId = await placeAndPay('c1');
    await app.settle();

    const history = await app.call('GET', '/customers/c1/orders');
    expect(history.status).toBe(200);
    expect(history.body.orders).toEqual([
      expect.objectContaining({ orderId, branchId: 'b1', status: 'paid', total: 4_900 }),
    ]);
    const sales = await app.call('GET', `/branches/b1/sales?date=${today()}`);
    expect(sales.body).toEqual({
      branchId: 'b1',
      date: today(),
      paidOrders: 1,
      revenue: 4_900,
      refunds: 0,
      net: 4_900,
    });
    const customer = await app.call('GET', '/customers/c1');
    expect(customer.body).toMatchObject({ points: 49, lifetimePoints: 49, orderCount: 1 });

    const refund = await app.call('POST', `/orders/${orderId}/refunds`, {
      amount: 1_000,
      reason: 'one bag was damaged',
    });
    expect(refund.status).toBe(200);
    await app.settle();

    // Now worth floor(3,900 / 100) = 39 points: 10 taken back; lifetime points never drop.
    expect((await app.call('GET', '/customers/c1')).body).toMatchObject({
      points: 39,
      lifetimePoints: 49,
      orderCount: 1,
    });
    expect((await app.call('GET', `/branches/b1/sales?date=${today()}`)).body).toMatchObject({
      paidOrders: 1,
      revenue: 4_900,
      refunds: 1_000,
      net: 3_900,
    });
  });

  it('counts orders without a customer in the sales only', async () => {
    const before = (await app.call('GET', `/branches/b1/sales?date=${today()}`)).body;
    await placeAndPay();
    await app.settle();
    const after = (await app.call('GET', `/branches/b1/sales?date=${today()}`)).body;
    expect(after.paidOrders).toBe(before.paidOrders + 1);
    expect(after.revenue).toBe(before.revenue + 4_900);
    expect((await app.call('GET', '/customers/c1/orders')).body.orders).toHaveLength(1);
  });

  it('answers availability from the slots read model', async () => {
    const at = (hour: number) => `2030-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
    await app.call('PUT', '/branches/b1/slots/s9', { startsAt: at(9), capacity: 4 });
    await app.call('PUT', '/branches/b1/slots/s10', { startsAt: at(10), capacity: 2 });
    const reservation = await app.call('POST', '/branches/b1/slots/s9/reservations', {
      quantity: 3,
    });
    expect(reservation.status).toBe(201);
    await app.settle();

    const search = (quantity: number) =>
      app.call('POST', '/availability', { branchIds: ['b1'], from: at(0), to: at(23), quantity });
    expect((await search(1)).body.slots).toEqual([
      { branchId: 'b1', slotId: 's9', startsAt: at(9), capacity: 4, remaining: 1 },
      { branchId: 'b1', slotId: 's10', startsAt: at(10), capacity: 2, remaining: 2 },
    ]);
    expect((await search(2)).body.slots.map((s: { slotId: string }) => s.slotId)).toEqual(['s10']);

    const released = await app.call('DELETE', `/reservations/${reservation.body.reservationId}`);
    expect(released.status).toBeLessThan(300);
    await app.settle();
    expect((await search(4)).body.slots.map((s: { slotId: string }) => s.slotId)).toEqual(['s9']);
  });

  it('reports every projection with its position, lag and counts', async () => {
    const status = await app.call('GET', '/projections');
    expect(status.status).toBe(200);
    const byName = Object.fromEntries(
      status.body.projections.map((p: { name: string }) => [p.name, p]),
    );
    for (const name of ['orderHistory', 'dailySales', 'availability']) {
      expect(byName[name]).toMatchObject({ processed: expect.any(Number), failed: 0 });
      expect(byName[name].processed).toBeGreaterThan(0);
      expect(typeof byName[name].position).toBe('string');
      expect(byName[name].lagMs).toBeGreaterThanOrEqual(0);
    }
  });
});
