import type { DomainCommand, DomainEvent } from '../../../lib/core/entity.ts';

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
   * Points currently credited per order id, for the customer's most recent credited orders
   * (`creditWindow`): what makes a credit or a refund count once, and what a refund adjusts.
   */
  readonly credited: Readonly<Record<string, number>>;
  /**
   * Refunds that arrived before their order's credit (a credit can be dead-lettered and redriven
   * after the refund): the refunded total per order id, applied when the credit comes.
   */
  readonly pendingRefunds: Readonly<Record<string, number>>;
}

/**
 * How many credited orders a customer remembers. The snapshot carries them (about 35 bytes
 * each), so the window bounds the state's size and the cost of each credit: without it a
 * customer's 13,000th order would push the snapshot past DynamoDB's 400 KB item limit.
 */
export const creditWindow = 500;

const withoutKey = (map: Readonly<Record<string, number>>, key: string) => {
  if (!(key in map)) return map;
  const { [key]: _gone, ...rest } = map;
  return rest;
};

/** Records an order's credit (or refund), forgetting the oldest once the window is full. */
export function rememberCredit(
  credited: Readonly<Record<string, number>>,
  orderId: string,
  points: number,
): Readonly<Record<string, number>> {
  const next: Record<string, number> = { ...credited };
  delete next[orderId]; // re-inserted last: the newest
  next[orderId] = points;
  const ids = Object.keys(next);
  for (const old of ids.slice(0, Math.max(0, ids.length - creditWindow))) delete next[old];
  return next;
}

export const initialCustomerState = (): CustomerState => ({
  registered: false,
  customerId: '',
  name: '',
  email: '',
  points: 0,
  lifetimePoints: 0,
  orderCount: 0,
  credited: {},
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
  { customerId: string; orderId: string; points: number; creditedAfter: number }
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
  { orderId: string; paid: number; refunded: number }
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
            credited: rememberCredit(state.credited, orderId, points),
            pendingRefunds: withoutKey(state.pendingRefunds, orderId),
          };
    }
    case 'CustomerPointsDeducted':
      return {
        ...state,
        points: Math.max(0, state.points - event.data.points),
        credited: { ...state.credited, [event.data.orderId]: event.data.creditedAfter },
      };
    case 'PointsRedeemed':
      return { ...state, points: state.points - event.data.points };
    case 'OrderRefundNoted':
      return {
        ...state,
        pendingRefunds: rememberCredit(
          state.pendingRefunds,
          event.data.orderId,
          event.data.refunded,
        ),
      };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
