import { specification } from '@coffee-es/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type OrderCommand,
  type OrderEvent,
  type OrderStatus,
  orderEntity,
  orderView,
} from '../../../functions/domain/index.ts';

const spec = specification(orderEntity);
const now = '2026-01-01T08:00:00.000Z';
const items = [
  { sku: 'latte', quantity: 2, unitPrice: 350 },
  { sku: 'scone', quantity: 1, unitPrice: 299 },
];
const total = 999;

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId: 'o1', branchId: 'b1', customerId: 'c1', items, total, placedAt: now },
};
const paid: OrderEvent = {
  type: 'OrderPaid',
  data: { orderId: 'o1', branchId: 'b1', customerId: 'c1', amount: total, total, paidAt: now },
};
const ready: OrderEvent = {
  type: 'OrderReady',
  data: { orderId: 'o1', customerId: 'c1', readyAt: now },
};
const collected: OrderEvent = {
  type: 'OrderCollected',
  data: { orderId: 'o1', customerId: 'c1', collectedAt: now },
};
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId: 'o1', customerId: 'c1', cancelledAt: now },
};
const refunded = (amount: number, refundedTotal: number): OrderEvent => ({
  type: 'OrderRefunded',
  data: {
    orderId: 'o1',
    branchId: 'b1',
    customerId: 'c1',
    amount,
    reason: 'spilt',
    paid: total,
    refundedTotal,
    refundedAt: now,
  },
});

const histories: Record<OrderStatus, OrderEvent[]> = {
  placed: [placed],
  paid: [placed, paid],
  ready: [placed, paid, ready],
  collected: [placed, paid, ready, collected],
  cancelled: [placed, cancelled],
  refunded: [placed, paid, refunded(total, total)],
};

const commands: Record<Exclude<OrderCommand['type'], 'PlaceOrder'>, OrderCommand> = {
  PayOrder: { type: 'PayOrder', data: { amount: total } },
  MarkOrderReady: { type: 'MarkOrderReady', data: {} },
  CollectOrder: { type: 'CollectOrder', data: {} },
  CancelOrder: { type: 'CancelOrder', data: {} },
  RefundOrder: { type: 'RefundOrder', data: { amount: 1, reason: 'spilt' } },
};

const allowed: Record<keyof typeof commands, readonly OrderStatus[]> = {
  PayOrder: ['placed'],
  MarkOrderReady: ['paid'],
  CollectOrder: ['ready'],
  CancelOrder: ['placed'],
  RefundOrder: ['paid', 'ready', 'collected'],
};

describe('Order', () => {
  it('places an order with its total', () => {
    spec
      .given()
      .when({
        type: 'PlaceOrder',
        data: { orderId: 'o1', branchId: 'b1', customerId: 'c1', items },
      })
      .thenEmits(placed)
      .thenState((state) =>
        expect(orderView('o1', state)).toEqual({
          orderId: 'o1',
          branchId: 'b1',
          customerId: 'c1',
          items,
          total,
          paid: 0,
          refunded: 0,
          status: 'placed',
        }),
      );
  });

  it('omits an absent customer and keeps a reservation', () => {
    const outcome = spec
      .given()
      .when({
        type: 'PlaceOrder',
        data: { orderId: 'o2', branchId: 'b1', items, reservationId: 'b1.s1.r1' },
      })
      .thenState((state) => {
        expect('customerId' in orderView('o2', state)).toBe(false);
        expect(state.reservationId).toBe('b1.s1.r1');
      });
    expect(outcome.events[0]?.data).not.toHaveProperty('customerId');
  });

  it('refuses to place an order twice', () => {
    spec
      .given(placed)
      .when({ type: 'PlaceOrder', data: { orderId: 'o1', branchId: 'b1', items } })
      .thenRejects('order-exists');
  });

  it.each(Object.values(commands))('refuses $type on an order never placed', (command) => {
    spec.given().when(command).thenRejects('order-not-found');
  });

  it('takes payment of the exact total', () => {
    spec
      .given(placed)
      .when({ type: 'PayOrder', data: { amount: total } })
      .thenEmits(paid)
      .thenState((state) =>
        expect(orderView('o1', state)).toMatchObject({ paid: total, status: 'paid' }),
      );
    spec
      .given(placed)
      .when({ type: 'PayOrder', data: { amount: 998 } })
      .thenRejects('amount-mismatch', { expected: total, received: 998 });
  });

  it('moves through ready and collected', () => {
    spec.given(placed, paid).when(commands.MarkOrderReady).thenEmits(ready);
    spec
      .given(placed, paid, ready)
      .when(commands.CollectOrder)
      .thenEmits(collected)
      .thenState((state) => expect(state.status).toBe('collected'));
  });

  it('cancels a placed order, with or without a reason', () => {
    spec.given(placed).when(commands.CancelOrder).thenEmits(cancelled);
    spec
      .given(placed)
      .when({ type: 'CancelOrder', data: { reason: 'changed mind' } })
      .thenEmits({
        type: 'OrderCancelled',
        data: { orderId: 'o1', customerId: 'c1', reason: 'changed mind', cancelledAt: now },
      });
  });

  it('refunds partially, keeping the status, then fully', () => {
    spec
      .given(placed, paid, ready)
      .when({ type: 'RefundOrder', data: { amount: 300, reason: 'spilt' } })
      .thenEmits(refunded(300, 300))
      .thenState((state) => expect(state).toMatchObject({ status: 'ready', refunded: 300 }));
    spec
      .given(placed, paid, ready, refunded(300, 300))
      .when({ type: 'RefundOrder', data: { amount: 699, reason: 'spilt' } })
      .thenEmits(refunded(699, 999))
      .thenState((state) => expect(state).toMatchObject({ status: 'refunded', refunded: total }));
  });

  it('refuses to refund more than is left', () => {
    spec
      .given(placed, paid, refunded(300, 300))
      .when({ type: 'RefundOrder', data: { amount: 700, reason: 'spilt' } })
      .thenRejects('refund-exceeds-paid', { refundable: 699, requested: 700 });
  });

  const cases = Object.entries(commands).flatMap(([name, command]) =>
    (Object.keys(histories) as OrderStatus[])
      .filter((status) => !allowed[name as keyof typeof commands].includes(status))
      .map((status) => ({ name, status, command })),
  );
  it.each(cases)('refuses $name when $status', ({ name, status, command }) => {
    spec
      .given(...histories[status])
      .when(command)
      .thenRejects('invalid-transition', { status, command: name });
  });

  it.each(Object.keys(histories) as OrderStatus[])('a %s order reports its status', (status) => {
    expect(spec.given(...histories[status]).state.status).toBe(status);
  });
});
