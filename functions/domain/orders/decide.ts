import type { CommandMetadata, Decision } from '@coffee-es/core';
import { reject } from '@coffee-es/core';
import {
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type OrderStatus,
  orderStatuses,
  orderTotal,
  type PlaceOrder,
  type RefundOrder,
} from './events.ts';
import type { OrderRejection } from './rejections.ts';

type OrderDecision = Decision<OrderEvent, OrderRejection>;

const refundable: readonly OrderStatus[] = [
  orderStatuses.paid,
  orderStatuses.ready,
  orderStatuses.collected,
];

const invalidTransition = (state: OrderState, command: OrderCommand) =>
  reject('invalid-transition', `Cannot ${command.type} an order that is ${state.status}`, {
    status: state.status,
    command: command.type,
  });

const customerOf = (state: OrderState) =>
  state.customerId === undefined ? {} : { customerId: state.customerId };

function place({ data }: PlaceOrder, metadata: CommandMetadata): OrderDecision {
  const { orderId, branchId, customerId, items, reservationId } = data;
  return {
    type: 'OrderPlaced',
    data: {
      orderId,
      branchId,
      ...(customerId === undefined ? {} : { customerId }),
      items,
      total: orderTotal(items),
      ...(reservationId === undefined ? {} : { reservationId }),
      placedAt: metadata.now,
    },
  };
}

function refund(command: RefundOrder, state: OrderState, now: string): OrderDecision {
  if (!refundable.includes(state.status)) return invalidTransition(state, command);
  const { amount, reason } = command.data;
  const remaining = state.paid - state.refunded;
  if (amount > remaining) {
    return reject('refund-exceeds-paid', 'The refund exceeds what is left to refund', {
      refundable: remaining,
      requested: amount,
    });
  }
  return {
    type: 'OrderRefunded',
    data: {
      orderId: state.orderId,
      branchId: state.branchId,
      ...customerOf(state),
      amount,
      reason,
      paid: state.paid,
      refundedTotal: state.refunded + amount,
      refundedAt: now,
    },
  };
}

function transition(command: OrderCommand, state: OrderState, now: string): OrderDecision {
  const { orderId, status } = state;
  switch (command.type) {
    case 'PlaceOrder':
      return reject('order-exists', 'The order already exists', { orderId });
    case 'PayOrder': {
      if (status !== orderStatuses.placed) return invalidTransition(state, command);
      const { amount } = command.data;
      if (amount !== state.total) {
        return reject('amount-mismatch', 'The amount must equal the total', {
          expected: state.total,
          received: amount,
        });
      }
      const { branchId, total } = state;
      return {
        type: 'OrderPaid',
        data: { orderId, branchId, ...customerOf(state), amount, total, paidAt: now },
      };
    }
    case 'MarkOrderReady':
      return status === orderStatuses.paid
        ? { type: 'OrderReady', data: { orderId, ...customerOf(state), readyAt: now } }
        : invalidTransition(state, command);
    case 'CollectOrder':
      return status === orderStatuses.ready
        ? { type: 'OrderCollected', data: { orderId, ...customerOf(state), collectedAt: now } }
        : invalidTransition(state, command);
    case 'CancelOrder': {
      if (status !== orderStatuses.placed) return invalidTransition(state, command);
      const { reason } = command.data;
      return {
        type: 'OrderCancelled',
        data: {
          orderId,
          ...customerOf(state),
          ...(reason === undefined ? {} : { reason }),
          cancelledAt: now,
        },
      };
    }
    case 'RefundOrder':
      return refund(command, state, now);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

export function decide(
  command: OrderCommand,
  state: OrderState,
  metadata: CommandMetadata,
): OrderDecision {
  if (!state.placed) {
    return command.type === 'PlaceOrder'
      ? place(command, metadata)
      : reject('order-not-found', 'The order does not exist');
  }
  return transition(command, state, metadata.now);
}
