import { defineEntity } from '@coffee-es/core';
import { decide } from './decide.ts';
import {
  evolve,
  initialOrderState,
  type OrderCommand,
  type OrderEvent,
  type OrderItem,
  type OrderState,
  type OrderStatus,
} from './events.ts';
import { type OrderRejection, orderRejections } from './rejections.ts';

export type {
  CancelOrder,
  CollectOrder,
  MarkOrderReady,
  OrderCancelled,
  OrderCollected,
  OrderCommand,
  OrderEvent,
  OrderItem,
  OrderPaid,
  OrderPlaced,
  OrderReady,
  OrderRefunded,
  OrderState,
  OrderStatus,
  PayOrder,
  PlaceOrder,
  RefundOrder,
} from './events.ts';
export { initialOrderState, orderStatuses, orderTotal } from './events.ts';
export { type OrderRejection, orderRejections } from './rejections.ts';

export const orderEntity = defineEntity<OrderState, OrderCommand, OrderEvent, OrderRejection>({
  type: 'Order',
  rejections: orderRejections,
  initialState: initialOrderState,
  decide,
  evolve,
  events: {
    OrderPlaced: { version: 1 },
    OrderPaid: { version: 1 },
    OrderReady: { version: 1 },
    OrderCollected: { version: 1 },
    OrderCancelled: { version: 1 },
    OrderRefunded: { version: 1 },
  },
  snapshot: { every: 100, schemaVersion: 1 },
});

export interface OrderView {
  readonly orderId: string;
  readonly branchId: string;
  readonly customerId?: string;
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly paid: number;
  readonly refunded: number;
  readonly status: OrderStatus;
}

export function orderView(orderId: string, state: OrderState): OrderView {
  return {
    orderId,
    branchId: state.branchId,
    ...(state.customerId === undefined ? {} : { customerId: state.customerId }),
    items: state.items,
    total: state.total,
    paid: state.paid,
    refunded: state.refunded,
    status: state.status,
  };
}
