/** A customer's order history: one document per order placed with a customer. */
import { documentProjection, type ProjectedEvent } from '@coffee-es/core';
import type { OrderEvent, OrderStatus } from '../domain/index.ts';
import { readModelKeys, readModelPrefixes } from './keys.ts';

export interface OrderHistoryEntry extends Record<string, unknown> {
  readonly orderId: string;
  readonly branchId: string;
  readonly status: OrderStatus;
  readonly total: number;
  readonly placedAt: string;
}

const asOrderEvent = (event: ProjectedEvent) => event as unknown as OrderEvent;

export const orderHistory = documentProjection<OrderHistoryEntry>({
  name: 'orderHistory',
  entityTypes: ['Order'],
  keyPrefix: readModelPrefixes.orderHistory,
  keyOf: (event) => {
    const { data } = asOrderEvent(event);
    if (data.customerId === undefined) return undefined;
    return { ...readModelKeys.customerOrders(data.customerId), sk: data.orderId };
  },
  evolve: (entry, event) => {
    const order = asOrderEvent(event);
    if (order.type === 'OrderPlaced') {
      const { orderId, branchId, total, placedAt } = order.data;
      return { orderId, branchId, status: 'placed', total, placedAt };
    }
    if (!entry)
      throw new Error(`${event.streamId}@${event.position}: order history without a placed order`);
    switch (order.type) {
      case 'OrderPaid':
        return { ...entry, status: 'paid' };
      case 'OrderReady':
        return { ...entry, status: 'ready' };
      case 'OrderCollected':
        return { ...entry, status: 'collected' };
      case 'OrderCancelled':
        return { ...entry, status: 'cancelled' };
      case 'OrderRefunded':
        return order.data.refundedTotal >= order.data.paid
          ? { ...entry, status: 'refunded' }
          : entry;
      default: {
        const unknown: never = order;
        return unknown;
      }
    }
  },
});
