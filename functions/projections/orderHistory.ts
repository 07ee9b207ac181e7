/** A customer's order history: one document per order placed with a customer. */
import { defineProjection, type ReadModelReader } from '@coffee-es/core';
import { type OrderStatus, orderEntity } from '../domain/orders/index.ts';

export interface OrderHistoryEntry extends Record<string, unknown> {
  readonly orderId: string;
  readonly branchId: string;
  readonly status: OrderStatus;
  readonly total: number;
  readonly placedAt: string;
}

/** Partition: the customer; sort: the order id (ULIDs, so newest first is by sort key). */
export const orderHistory = defineProjection(orderEntity).document<OrderHistoryEntry>({
  name: 'orderHistory',
  keyPrefix: 'CustomerOrders#',
  keyOf: ({ data }) =>
    data.customerId === undefined ? undefined : { partition: data.customerId, sort: data.orderId },
  evolve: (entry, event) => {
    if (event.type === 'OrderPlaced') {
      const { orderId, branchId, total, placedAt } = event.data;
      return { orderId, branchId, status: 'placed', total, placedAt };
    }
    if (!entry)
      throw new Error(`${event.streamId}@${event.position}: order history without a placed order`);
    switch (event.type) {
      case 'OrderPaid':
        return { ...entry, status: 'paid' };
      case 'OrderReady':
        return { ...entry, status: 'ready' };
      case 'OrderCollected':
        return { ...entry, status: 'collected' };
      case 'OrderCancelled':
        return { ...entry, status: 'cancelled' };
      case 'OrderRefunded':
        return event.data.refundedTotal >= event.data.paid
          ? { ...entry, status: 'refunded' }
          : entry;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
});

/** `GET /customers/{id}/orders`: the customer's latest 100 orders, newest first. */
export async function customerOrders(reader: ReadModelReader, customerId: string) {
  const entries = await orderHistory.query(reader, customerId, { newestFirst: true, limit: 100 });
  return entries.map(({ orderId, branchId, status, total, placedAt }) => ({
    orderId,
    branchId,
    status,
    total,
    placedAt,
  }));
}
