import type { DomainCommand, DomainEvent } from '@coffee-es/core';

export const tiers = { bronze: 'bronze', silver: 'silver', gold: 'gold' } as const;
export type Tier = (typeof tiers)[keyof typeof tiers];

export const loyaltyTiers = { bronze: 'Bronze', silver: 'Silver', gold: 'Gold' } as const;
export type LoyaltyTier = (typeof loyaltyTiers)[keyof typeof loyaltyTiers];

export const tierThresholds = { silver: 1000, gold: 5000 } as const;

export function tierOf(lifetimePoints: number): Tier {
  if (lifetimePoints >= tierThresholds.gold) return tiers.gold;
  if (lifetimePoints >= tierThresholds.silver) return tiers.silver;
  return tiers.bronze;
}

export const loyaltyTierOf = (lifetimePoints: number): LoyaltyTier =>
  loyaltyTiers[tierOf(lifetimePoints)];

export interface CustomerState {
  readonly registered: boolean;
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly points: number;
  readonly lifetimePoints: number;
  readonly orderCount: number;
  /**
   * Refunds noted before their order's credit by versions before the claim ledger (none are
   * noted now: a refund that finds no credit brings the credit with it); each is applied when
   * its credit comes, as it was promised then.
   */
  readonly pendingRefunds: Readonly<Record<string, number>>;
}

const withoutKey = (map: Readonly<Record<string, number>>, key: string) => {
  if (!(key in map)) return map;
  const { [key]: _gone, ...rest } = map;
  return rest;
};

export const initialCustomerState = (): CustomerState => ({
  registered: false,
  customerId: '',
  name: '',
  email: '',
  points: 0,
  lifetimePoints: 0,
  orderCount: 0,
  pendingRefunds: {},
});

export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  { customerId: string; name: string; email: string; registeredAt: string }
>;
export type CustomerPointsAdded = DomainEvent<
  'CustomerPointsAdded',
  { customerId: string; points: number; loyaltyTier: LoyaltyTier; orderId?: string }
>;
export type CustomerPointsDeducted = DomainEvent<
  'CustomerPointsDeducted',
  {
    customerId: string;
    orderId: string;
    points: number;
    /** What the order is worth after the refund. */
    creditedAfter: number;
    /** The refund event this deduction is the effect of (absent before the claim ledger). */
    refundId?: string;
  }
>;
export type PointsRedeemed = DomainEvent<'PointsRedeemed', { customerId: string; points: number }>;
export type OrderRefundNoted = DomainEvent<
  'OrderRefundNoted',
  { customerId: string; orderId: string; refunded: number }
>;

export type CustomerEvent =
  | CustomerRegistered
  | CustomerPointsAdded
  | CustomerPointsDeducted
  | PointsRedeemed
  | OrderRefundNoted;

export type RegisterCustomer = DomainCommand<
  'RegisterCustomer',
  { customerId: string; name: string; email: string }
>;
export type RedeemPoints = DomainCommand<'RedeemPoints', { points: number }>;
export type CreditOrder = DomainCommand<'CreditOrder', { orderId: string; total: number }>;
export type AdjustOrderPoints = DomainCommand<
  'AdjustOrderPoints',
  {
    orderId: string;
    /** The order's paid total, and its refunded total after this refund. */
    paid: number;
    refunded: number;
    /** This refund's amount: the refunded total before it is `refunded - amount`. */
    amount: number;
    /** The refund event's id. */
    refundId: string;
    /** The order's credit has not been applied (it was dead-lettered): apply it first. */
    includeCredit?: boolean;
  }
>;

export type CustomerCommand = RegisterCustomer | RedeemPoints | CreditOrder | AdjustOrderPoints;

/** v1 `{customerId, points}` → v2 `{customerId, points, loyaltyTier}`. */
export function upcastPointsAddedV1(data: unknown): unknown {
  const v1 = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  return v1.loyaltyTier === undefined ? { ...v1, loyaltyTier: loyaltyTiers.bronze } : v1;
}

export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return {
        ...state,
        registered: true,
        customerId: event.data.customerId,
        name: event.data.name,
        email: event.data.email,
      };
    case 'CustomerPointsAdded': {
      const { points, orderId } = event.data;
      const added = {
        ...state,
        points: state.points + points,
        lifetimePoints: state.lifetimePoints + points,
      };
      return orderId === undefined
        ? added
        : {
            ...added,
            orderCount: state.orderCount + 1,
            pendingRefunds: withoutKey(state.pendingRefunds, orderId),
          };
    }
    case 'CustomerPointsDeducted':
      return { ...state, points: Math.max(0, state.points - event.data.points) };
    case 'PointsRedeemed':
      return { ...state, points: state.points - event.data.points };
    case 'OrderRefundNoted':
      return {
        ...state,
        pendingRefunds: { ...state.pendingRefunds, [event.data.orderId]: event.data.refunded },
      };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
