/** The checker's own arithmetic: API.md's loyalty rules from the orders' final amounts. */
import { describe, expect, it } from 'vitest';
import { expectedLoyalty } from './invariants.ts';
import type { OrderModel } from './workload.ts';

const order = (total: number, paid: number, refunded: number): OrderModel => ({
  orderId: `o${total}-${paid}-${refunded}`,
  branchId: 'b',
  customerId: 'c',
  total,
  status: paid === 0 ? 'placed' : 'paid',
  paid,
  refunded,
});

describe('expected loyalty', () => {
  it('credits paid orders, takes refunds back, never counts unpaid ones', () => {
    expect(
      expectedLoyalty([order(1250, 1250, 0), order(999, 999, 500), order(5000, 0, 0)]),
    ).toEqual({
      points: 12 + 4,
      lifetimePoints: 12 + 9,
      tier: 'bronze',
      orderCount: 2,
    });
  });

  it('follows lifetime points through the tiers, whatever was refunded', () => {
    expect(expectedLoyalty([order(100_000, 100_000, 100_000)]).tier).toBe('silver');
    expect(expectedLoyalty([order(300_000, 300_000, 0), order(250_000, 250_000, 0)])).toMatchObject(
      {
        lifetimePoints: 5500,
        tier: 'gold',
      },
    );
  });
});
