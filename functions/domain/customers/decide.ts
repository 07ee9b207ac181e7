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
  return {
    type: 'CustomerPointsAdded',
    data: {
      customerId: state.customerId,
      points,
      loyaltyTier: loyaltyTierOf(state.lifetimePoints + points),
      orderId: data.orderId,
    },
  };
}

function adjust({ data }: AdjustOrderPoints, state: CustomerState): CustomerDecision {
  const credited = state.credited[data.orderId];
  if (credited === undefined) return [];
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
