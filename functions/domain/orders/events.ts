import type { DomainCommand, DomainEvent } from '@coffee-es/core';

export const orderStatuses = {
  placed: 'placed',
  paid: 'paid',
  ready: 'ready',
  collected: 'collected',
  cancelled: 'cancelled',
  refunded: 'refunded',
} as const;
export type OrderStatus = (typeof orderStatuses)[keyof typeof orderStatuses];

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface OrderState {
  readonly placed: boolean;
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly branchId: string;
  readonly customerId?: string;
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly paid: number;
  readonly refunded: number;
  readonly reservationId?: string;
  readonly placedAt: string;
}

export const initialOrderState = (): OrderState => ({
  placed: false,
  orderId: '',
  status: orderStatuses.placed,
  branchId: '',
  items: [],
  total: 0,
  paid: 0,
  refunded: 0,
  placedAt: '',
});

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    orderId: string;
    branchId: string;
    customerId?: string;
    items: readonly OrderItem[];
    total: number;
    reservationId?: string;
    placedAt: string;
  }
>;
export type OrderPaid = DomainEvent<
  'OrderPaid',
  {
    orderId: string;
    branchId: string;
    customerId?: string;
    amount: number;
    total: number;
    paidAt: string;
  }
>;
export type OrderReady = DomainEvent<
  'OrderReady',
  { orderId: string; customerId?: string; readyAt: string }
>;
export type OrderCollected = DomainEvent<
  'OrderCollected',
  { orderId: string; customerId?: string; collectedAt: string }
>;
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  { orderId: string; customerId?: string; reason?: string; cancelledAt: string }
>;
export type OrderRefunded = DomainEvent<
  'OrderRefunded',
  {
    orderId: string;
    branchId: string;
    customerId?: string;
    amount: number;
    reason: string;
    paid: number;
    refundedTotal: number;
    refundedAt: string;
  }
>;

export type OrderEvent =
  | OrderPlaced
  | OrderPaid
  | OrderReady
  | OrderCollected
  | OrderCancelled
  | OrderRefunded;

export type PlaceOrder = DomainCommand<
  'PlaceOrder',
  {
    orderId: string;
    branchId: string;
    customerId?: string;
    items: readonly OrderItem[];
    reservationId?: string;
  }
>;
export type PayOrder = DomainCommand<'PayOrder', { amount: number }>;
export type MarkOrderReady = DomainCommand<'MarkOrderReady', Record<string, never>>;
export type CollectOrder = DomainCommand<'CollectOrder', Record<string, never>>;
export type CancelOrder = DomainCommand<'CancelOrder', { reason?: string }>;
export type RefundOrder = DomainCommand<'RefundOrder', { amount: number; reason: string }>;

export type OrderCommand =
  | PlaceOrder
  | PayOrder
  | MarkOrderReady
  | CollectOrder
  | CancelOrder
  | RefundOrder;

export const orderTotal = (items: readonly OrderItem[]): number =>
  items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced': {
      const { orderId, branchId, customerId, items, total, reservationId, placedAt } = event.data;
      return {
        ...initialOrderState(),
        placed: true,
        orderId,
        branchId,
        ...(customerId === undefined ? {} : { customerId }),
        items,
        total,
        ...(reservationId === undefined ? {} : { reservationId }),
        placedAt,
      };
    }
    case 'OrderPaid':
      return { ...state, status: orderStatuses.paid, paid: state.paid + event.data.amount };
    case 'OrderReady':
      return { ...state, status: orderStatuses.ready };
    case 'OrderCollected':
      return { ...state, status: orderStatuses.collected };
    case 'OrderCancelled':
      return { ...state, status: orderStatuses.cancelled };
    case 'OrderRefunded': {
      const refunded = event.data.refundedTotal;
      const status = refunded >= state.paid ? orderStatuses.refunded : state.status;
      return { ...state, refunded, status };
    }
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
