/** The app's read models as specifications: given an entity's events, then its documents. */
import { projectionSpecification } from '@coffee-es/core/testing';
import { describe, it } from 'vitest';
import type { OrderEvent, SlotEvent } from '../../../functions/domain/index.ts';
import { availability } from '../../../functions/projections/availability.ts';
import { dailySales } from '../../../functions/projections/dailySales.ts';
import { orderHistory } from '../../../functions/projections/orderHistory.ts';

const placedAt = '2026-11-23T09:00:00.000Z';
const placed = (orderId: string, customerId?: string): OrderEvent => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    branchId: 'b1',
    ...(customerId ? { customerId } : {}),
    items: [],
    total: 900,
    placedAt,
  },
});
const paid = (orderId: string, paidAt = '2026-11-23T23:59:00.000Z'): OrderEvent => ({
  type: 'OrderPaid',
  data: { orderId, branchId: 'b1', customerId: 'c1', amount: 900, total: 900, paidAt },
});
const refunded = (amount: number, refundedTotal: number): OrderEvent => ({
  type: 'OrderRefunded',
  data: {
    orderId: 'o1',
    customerId: 'c1',
    branchId: 'b1',
    amount,
    reason: 'spilt',
    paid: 900,
    refundedTotal,
    refundedAt: '2026-11-24T00:01:00.000Z',
  },
});

describe('order history', () => {
  it('follows a customer order to refunded once the whole payment is back', async () => {
    const entry = { orderId: 'o1', branchId: 'b1', total: 900, placedAt };
    const spec = projectionSpecification(orderHistory, { streamId: 'Order#o1' });
    await spec.given(placed('o1', 'c1'), paid('o1')).then({ ...entry, status: 'paid' });
    await spec
      .given(placed('o1', 'c1'), paid('o1'), refunded(300, 300))
      .then({ ...entry, status: 'paid' });
    await spec
      .given(placed('o1', 'c1'), paid('o1'), refunded(300, 300), refunded(600, 900))
      .then({ ...entry, status: 'refunded' });
  });

  it('keeps nothing of an order without a customer', async () => {
    await projectionSpecification(orderHistory).given(placed('o2')).thenNothing();
  });
});

describe('daily sales', () => {
  it('counts payments and refunds on their own UTC day, per branch', async () => {
    await projectionSpecification(dailySales, { streamId: 'Order#o1' })
      .given(placed('o1', 'c1'), paid('o1'), refunded(300, 300))
      .andIn('Order#o2', placed('o2'), paid('o2', '2026-11-23T08:00:00.000Z'))
      .then(
        { branchId: 'b1', date: '2026-11-23', paidOrders: 2, revenue: 1800 },
        { branchId: 'b1', date: '2026-11-24', refunds: 300 },
      );
  });
});

describe('availability', () => {
  it('keeps what remains of a slot as it is reserved, changed and released', async () => {
    const events: SlotEvent[] = [
      { type: 'SlotDefined', data: { branchId: 'b1', slotId: 's1', startsAt: 't', capacity: 4 } },
      { type: 'SlotReserved', data: { reservationId: 'r1', quantity: 3 } },
      { type: 'SlotChanged', data: { startsAt: 't2', capacity: 2 } },
      { type: 'ReservationReleased', data: { reservationId: 'r1', quantity: 3 } },
    ];
    const spec = projectionSpecification(availability, { streamId: 'Slot#b1.s1' });
    await spec.given(...events.slice(0, 3)).then({
      branchId: 'b1',
      slotId: 's1',
      startsAt: 't2',
      capacity: 2,
      reserved: 3,
      remaining: 0,
    });
    await spec.given(...events).then({
      branchId: 'b1',
      slotId: 's1',
      startsAt: 't2',
      capacity: 2,
      reserved: 0,
      remaining: 2,
    });
  });
});
