import { defineEntity } from '@coffee-es/core';
import { decide } from './decide.ts';
import {
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  evolve,
  initialCustomerState,
  type Tier,
  tierOf,
  upcastPointsAddedV1,
} from './events.ts';
import { type CustomerRejection, customerRejections } from './rejections.ts';

export { pointsFor } from './decide.ts';
export type {
  AdjustOrderPoints,
  CreditOrder,
  CustomerCommand,
  CustomerEvent,
  CustomerPointsAdded,
  CustomerPointsDeducted,
  CustomerRegistered,
  CustomerState,
  LoyaltyTier,
  OrderRefundNoted,
  PointsRedeemed,
  RedeemPoints,
  RegisterCustomer,
  Tier,
} from './events.ts';
export { initialCustomerState, loyaltyTierOf, tierOf, tiers, tierThresholds } from './events.ts';
export { type CustomerRejection, customerRejections } from './rejections.ts';

export const customerEntity = defineEntity<
  CustomerState,
  CustomerCommand,
  CustomerEvent,
  CustomerRejection
>({
  type: 'Customer',
  rejections: customerRejections,
  initialState: initialCustomerState,
  decide,
  evolve,
  events: {
    CustomerRegistered: { version: 1 },
    CustomerPointsAdded: { version: 2, upcasters: { 1: upcastPointsAddedV1 } },
    CustomerPointsDeducted: { version: 1 },
    PointsRedeemed: { version: 1 },
    OrderRefundNoted: { version: 1 },
  },
  // v3: no per-order memory (the claim ledger keeps credits and refunds exactly once); v2
  // snapshots, with their window of credited orders, are replayed past.
  snapshot: { every: 100, schemaVersion: 3 },
});

export interface CustomerView {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly points: number;
  readonly lifetimePoints: number;
  readonly tier: Tier;
  readonly orderCount: number;
}

export function customerView(customerId: string, state: CustomerState): CustomerView {
  return {
    customerId,
    name: state.name,
    email: state.email,
    points: state.points,
    lifetimePoints: state.lifetimePoints,
    tier: tierOf(state.lifetimePoints),
    orderCount: state.orderCount,
  };
}
