import type { CommandMetadata, Decision } from '../../../lib/core/entity.ts';
import { reject } from '../../../lib/core/rejection.ts';
import {
  type AdjustOrderPoints,
  type CreditOrder,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  loyaltyTierOf,
  type RedeemPoints,
} from './events.ts';

type CustomerDecision = Decision<CustomerEvent>;

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

function credit({ data }: CreditOrder, state: CustomerState): CustomerDecision {
  if (!state.registered) return notFound();
  if (data.orderId in state.credited) return [];
  const points = pointsFor(data.total);
  const added: CustomerEvent = {
    type: 'CustomerPointsAdded',
    data: {
      customerId: state.customerId,
      points,
      loyaltyTier: loyaltyTierOf(state.lifetimePoints + points),
      orderId: data.orderId,
    },
  };
  // A refund came first: credit in full, then take back what the refund did, as in order.
  const refunded = state.pendingRefunds[data.orderId];
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

function adjust({ data }: AdjustOrderPoints, state: CustomerState): CustomerDecision {
  if (!state.registered) return notFound();
  const credited = state.credited[data.orderId];
  if (credited === undefined) {
    // Not credited (yet): keep the refund for when the credit comes; a repeat changes nothing.
    const noted = state.pendingRefunds[data.orderId];
    if (noted !== undefined && noted >= data.refunded) return [];
    return {
      type: 'OrderRefundNoted',
      data: { customerId: state.customerId, orderId: data.orderId, refunded: data.refunded },
    };
  }
  const worth = pointsFor(data.paid - data.refunded);
  if (credited <= worth) return [];
  return {
    type: 'CustomerPointsDeducted',
    data: {
      customerId: state.customerId,
      orderId: data.orderId,
      points: credited - worth,
      creditedAfter: worth,
    },
  };
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
