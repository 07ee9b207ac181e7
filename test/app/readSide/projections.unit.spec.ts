/** The app's projections are pure: events in, documents and counter changes out. */

import type { ProjectedEvent } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { availability } from '../../../functions/projections/availability.ts';
import { dailySales } from '../../../functions/projections/dailySales.ts';
import { readSide } from '../../../functions/projections/index.ts';
import { orderHistory } from '../../../functions/projections/orderHistory.ts';

let position = 0;
const event = (streamId: string, type: string, data: Record<string, unknown>): ProjectedEvent => ({
  streamId,
  position: ++position,
  type,
  schemaVersion: 1,
  data,
  recordedAt: '2026-11-23T10:00:00.000Z',
  entityType: streamId.split('#')[0] ?? '',
});

const placed = (customerId?: string) =>
  event('Order#o1', 'OrderPlaced', {
    orderId: 'o1',
    branchId: 'b1',
    ...(customerId ? { customerId } : {}),
    items: [],
    total: 900,
    placedAt: '2026-11-23T09:00:00.000Z',
  });

describe('projections', () => {
  it('are the three read models of the contract, by file, as GET /projections lists them', () => {
    expect(readSide.projections.map((p) => p.name)).toEqual([
      'availability',
      'dailySales',
      'orderHistory',
    ]);
  });

  it('read their events with the schemas of every entity the read side reads', () => {
    expect(Object.keys(readSide.eventSchemas).sort()).toEqual(['Customer', 'Order', 'Slot']);
  });

  it('order history follows an order of a customer through its statuses', () => {
    const key = orderHistory.keyOf(placed('c1'));
    expect(key).toEqual({ pk: 'CustomerOrders#c1', sk: 'o1' });
    expect(orderHistory.keyOf(placed())).toBeUndefined();
    let doc = orderHistory.evolve(undefined, placed('c1'));
    expect(doc).toEqual({
      orderId: 'o1',
      branchId: 'b1',
      status: 'placed',
      total: 900,
      placedAt: '2026-11-23T09:00:00.000Z',
    });
    const refunded = (refundedTotal: number) =>
      event('Order#o1', 'OrderRefunded', {
        orderId: 'o1',
        customerId: 'c1',
        branchId: 'b1',
        amount: 100,
        reason: 'r',
        paid: 900,
        refundedTotal,
        refundedAt: '',
      });
    doc = orderHistory.evolve(
      doc,
      event('Order#o1', 'OrderPaid', { orderId: 'o1', customerId: 'c1' }),
    );
    expect(doc.status).toBe('paid');
    expect(orderHistory.evolve(doc, refunded(100)).status).toBe('paid');
    expect(orderHistory.evolve(doc, refunded(900)).status).toBe('refunded');
  });

  it('daily sales count payments and refunds on their own UTC day', () => {
    const paid = event('Order#o1', 'OrderPaid', {
      orderId: 'o1',
      branchId: 'b1',
      amount: 900,
      total: 900,
      paidAt: '2026-11-23T23:59:00.000Z',
    });
    expect(dailySales.changesOf(paid)).toEqual([
      {
        key: { pk: 'Sales#b1#2026-11-23', sk: 'total' },
        add: { paidOrders: 1, revenue: 900 },
        set: { branchId: 'b1', date: '2026-11-23' },
      },
    ]);
    const refund = event('Order#o1', 'OrderRefunded', {
      orderId: 'o1',
      branchId: 'b1',
      amount: 300,
      reason: 'r',
      paid: 900,
      refundedTotal: 300,
      refundedAt: '2026-11-24T00:01:00.000Z',
    });
    expect(dailySales.changesOf(refund)[0]).toMatchObject({
      key: { pk: 'Sales#b1#2026-11-24' },
      add: { refunds: 300 },
    });
    expect(dailySales.changesOf(placed('c1'))).toEqual([]);
  });

  it('availability keeps remaining capacity per slot', () => {
    const slot = 'Slot#b1.s1';
    expect(availability.keyOf(event(slot, 'SlotReserved', {}))).toEqual({
      pk: 'Slots#b1',
      sk: 's1',
    });
    let doc = availability.evolve(
      undefined,
      event(slot, 'SlotDefined', { branchId: 'b1', slotId: 's1', startsAt: 't', capacity: 4 }),
    );
    doc = availability.evolve(
      doc,
      event(slot, 'SlotReserved', { reservationId: 'r', quantity: 3 }),
    );
    expect(doc).toMatchObject({ capacity: 4, reserved: 3, remaining: 1 });
    doc = availability.evolve(doc, event(slot, 'SlotChanged', { startsAt: 't2', capacity: 2 }));
    expect(doc).toMatchObject({ startsAt: 't2', capacity: 2, reserved: 3, remaining: 0 });
    doc = availability.evolve(
      doc,
      event(slot, 'ReservationReleased', { reservationId: 'r', quantity: 3 }),
    );
    expect(doc).toMatchObject({ reserved: 0, remaining: 2 });
  });
});
