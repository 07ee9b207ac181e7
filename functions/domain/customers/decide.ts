import type { CommandMetadata, Decision } from '@coffee-es/core';
import { reject } from '@coffee-es/core';
import {
  type AdjustOrderPoints,
  type CreditOrder,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  loyaltyTierOf,
  type RedeemPoints,
} from './events.ts';
import type { CustomerRejection } from './rejections.ts';

type CustomerDecision = Decision<CustomerEvent, CustomerRejection>;

const notFound = () => reject('customer-not-found', 'The customer is not registered');

export const pointsFor = (cents: number): number => Math.max(0, Math.floor(cents / 100));

function redeem({ data }: RedeemPoints, state: CustomerState): CustomerDecision {
  if (!state.registered) return notFound();
  if (state.points < data.points) {
    return reject('insufficient-points', 'Not enough points', {
      available: state.points,
      requested: data.points,
    });
  }
  return { type: 'PointsRedeemed', data: { customerId: state.customerId, points: data.points } };
}

/**
 * The points a paid order earns. Whether it was credited before is not the state's to know: the
 * claim ledger refuses a second credit of the same order (see `app/loyalty.ts`).
 */
function creditEvent(state: CustomerState, orderId: string, paid: number): CustomerEvent {
  const points = pointsFor(paid);
  return {
    type: 'CustomerPointsAdded',
    data: {
      customerId: state.customerId,
      points,
      loyaltyTier: loyaltyTierOf(state.lifetimePoints + points),
      orderId,
    },
  };
}

function credit({ data }: CreditOrder, state: CustomerState): CustomerDecision {
  if (!state.registered) return notFound();
  const added = creditEvent(state, data.orderId, data.total);
  // A refund noted before this credit (by an older version): take back what it did, as in order.
  const refunded = state.pendingRefunds[data.orderId];
  const points = pointsFor(data.total);
  const worth = refunded === undefined ? points : pointsFor(data.total - refunded);
  if (worth >= points) return added;
  return [
    added,
    {
      type: 'CustomerPointsDeducted',
      data: {
        customerId: state.customerId,
        orderId: data.orderId,
        points: points - worth,
        creditedAfter: worth,
      },
    },
  ];
}

/**
 * A refund takes back what it lowered the order's worth by, computed from the refund alone (the
 * order's paid total and its refunded totals before and after): so refunds of one order add up
 * to the right total in any order, and no memory of past credits is needed. When the order's
 * credit never came (it was dead-lettered), the refund brings it along, in the same commit.
 */
function adjust({ data }: AdjustOrderPoints, state: CustomerState): CustomerDecision {
  if (!state.registered) return notFound();
  const before = pointsFor(data.paid - (data.refunded - data.amount));
  const after = pointsFor(data.paid - data.refunded);
  const events: CustomerEvent[] = data.includeCredit
    ? [creditEvent(state, data.orderId, data.paid)]
    : [];
  if (before > after) {
    events.push({
      type: 'CustomerPointsDeducted',
      data: {
        customerId: state.customerId,
        orderId: data.orderId,
        points: before - after,
        creditedAfter: after,
        refundId: data.refundId,
      },
    });
  }
  return events;
}

export function decide(
  command: CustomerCommand,
  state: CustomerState,
  metadata: CommandMetadata,
): CustomerDecision {
  switch (command.type) {
    case 'RegisterCustomer':
      if (state.registered) {
        return reject('customer-exists', 'The customer is already registered', {
          customerId: command.data.customerId,
        });
      }
      return {
        type: 'CustomerRegistered',
        data: { ...command.data, registeredAt: metadata.now },
      };
    case 'RedeemPoints':
      return redeem(command, state);
    case 'CreditOrder':
      return credit(command, state);
    case 'AdjustOrderPoints':
      return adjust(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}
