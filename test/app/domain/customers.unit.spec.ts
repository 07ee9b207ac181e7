import { specification } from '@coffee-es/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type CustomerCommand,
  type CustomerEvent,
  customerEntity,
  customerView,
} from '../../../functions/domain/index.ts';

const spec = specification(customerEntity);
const now = '2026-01-01T08:00:00.000Z';

const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'c1', name: 'Ana', email: 'ana@x.io', registeredAt: now },
};
const added = (points: number, orderId?: string, lifetime = points): CustomerEvent => ({
  type: 'CustomerPointsAdded',
  data: {
    customerId: 'c1',
    points,
    loyaltyTier: lifetime >= 5000 ? 'Gold' : lifetime >= 1000 ? 'Silver' : 'Bronze',
    ...(orderId === undefined ? {} : { orderId }),
  },
});

const deducted = (points: number, creditedAfter: number, refundId = 'r1'): CustomerEvent => ({
  type: 'CustomerPointsDeducted',
  data: { customerId: 'c1', orderId: 'o1', points, creditedAfter, refundId },
});
/** A refund of `amount` of order o1 (paid 1,299), `refunded` in total after it. */
const adjust = (
  amount: number,
  refunded = amount,
  refundId = 'r1',
  includeCredit = false,
): CustomerCommand => ({
  type: 'AdjustOrderPoints',
  data: { orderId: 'o1', paid: 1299, refunded, amount, refundId, includeCredit },
});

describe('Customer', () => {
  it('registers a new customer', () => {
    spec
      .given()
      .when({
        type: 'RegisterCustomer',
        data: { customerId: 'c1', name: 'Ana', email: 'ana@x.io' },
      })
      .thenEmits(registered)
      .thenState((state) =>
        expect(customerView('c1', state)).toEqual({
          customerId: 'c1',
          name: 'Ana',
          email: 'ana@x.io',
          points: 0,
          lifetimePoints: 0,
          tier: 'bronze',
          orderCount: 0,
        }),
      );
  });

  it('refuses to register twice', () => {
    spec
      .given(registered)
      .when({ type: 'RegisterCustomer', data: { customerId: 'c1', name: 'B', email: 'b@x.io' } })
      .thenRejects('customer-exists');
  });

  it('redeems points', () => {
    spec
      .given(registered, added(50))
      .when({ type: 'RedeemPoints', data: { points: 20 } })
      .thenEmits({ type: 'PointsRedeemed', data: { customerId: 'c1', points: 20 } })
      .thenState((state) => {
        expect(state.points).toBe(30);
        expect(state.lifetimePoints).toBe(50);
      });
  });

  it('refuses to redeem more than available', () => {
    spec
      .given(registered, added(10))
      .when({ type: 'RedeemPoints', data: { points: 11 } })
      .thenRejects('insufficient-points', { available: 10, requested: 11 });
  });

  it.each([
    { type: 'RedeemPoints', data: { points: 1 } },
    { type: 'CreditOrder', data: { orderId: 'o1', total: 500 } },
  ] as const)('refuses $type for an unregistered customer', (command) => {
    spec.given().when(command).thenRejects('customer-not-found');
  });

  it('credits floor(total / 100) points for a paid order', () => {
    spec
      .given(registered)
      .when({ type: 'CreditOrder', data: { orderId: 'o1', total: 1299 } })
      .thenEmits(added(12, 'o1'))
      .thenState((state) => {
        expect(state.points).toBe(12);
        expect(state.lifetimePoints).toBe(12);
        expect(state.orderCount).toBe(1);
      });
  });

  it('keeps no memory per order: a credited order leaves a state of constant size', () => {
    const history = [registered, ...Array.from({ length: 2_000 }, (_, i) => added(1, `o${i}`))];
    const state = spec.given(...history).state;
    expect(state.orderCount).toBe(2_000);
    expect(JSON.stringify(state).length).toBeLessThan(200);
  });

  it('counts an order worth no points', () => {
    spec
      .given(registered)
      .when({ type: 'CreditOrder', data: { orderId: 'o1', total: 99 } })
      .thenEmits(added(0, 'o1'))
      .thenState((state) => expect(state.orderCount).toBe(1));
  });

  it.each([
    [0, 999, 'Bronze', 'bronze'],
    [0, 1000, 'Silver', 'silver'],
    [900, 100, 'Silver', 'silver'],
    [4999, 1, 'Gold', 'gold'],
    [0, 5000, 'Gold', 'gold'],
  ] as const)(
    'with %i lifetime points, earning %i makes the tier %s',
    (before, earn, loyaltyTier, tier) => {
      const outcome = spec
        .given(registered, added(before))
        .when({ type: 'CreditOrder', data: { orderId: 'o9', total: earn * 100 } })
        .thenEmits({
          type: 'CustomerPointsAdded',
          data: { customerId: 'c1', points: earn, loyaltyTier, orderId: 'o9' },
        });
      outcome.thenState((state) => expect(customerView('c1', state).tier).toBe(tier));
    },
  );

  it('keeps the tier after points are spent', () => {
    spec
      .given(registered, added(6000))
      .when({ type: 'RedeemPoints', data: { points: 6000 } })
      .thenState((state) =>
        expect(customerView('c1', state)).toMatchObject({ points: 0, tier: 'gold' }),
      );
  });

  it('takes back the points of a partial refund', () => {
    spec
      .given(registered, added(12, 'o1'))
      .when(adjust(500))
      .thenEmits(deducted(5, 7))
      .thenState((state) => {
        expect(state).toMatchObject({ points: 7, lifetimePoints: 12 });
      });
  });

  it('never takes points below 0', () => {
    const redeemed: CustomerEvent = {
      type: 'PointsRedeemed',
      data: { customerId: 'c1', points: 10 },
    };
    spec
      .given(registered, added(12, 'o1'), redeemed)
      .when(adjust(1299))
      .thenEmits(deducted(12, 0))
      .thenState((state) => expect(state).toMatchObject({ points: 0 }));
  });

  it('takes back what each refund lowered the worth by, whatever order refunds come in', () => {
    // 500 then 799 refunded: worth 12 → 7 → 0, 5 then 7 taken back; the second alone takes 7.
    spec.given(registered, added(12, 'o1')).when(adjust(500, 500)).thenEmits(deducted(5, 7));
    spec
      .given(registered, added(12, 'o1'), deducted(5, 7))
      .when(adjust(799, 1299, 'r2'))
      .thenEmits(deducted(7, 0, 'r2'));
    spec
      .given(registered, added(12, 'o1'))
      .when(adjust(799, 1299, 'r2'))
      .thenEmits(deducted(7, 0, 'r2'))
      .thenState((state) => expect(state.points).toBe(5));
  });

  it('ignores refunds that do not lower the worth', () => {
    spec.given(registered, added(12, 'o1')).when(adjust(99)).thenEmits();
  });

  it('brings the credit along when a refund finds it never came, as if in order', () => {
    spec
      .given(registered)
      .when(adjust(500, 500, 'r1', true))
      .thenEmits(added(12, 'o1'), deducted(5, 7))
      .thenState((state) =>
        expect(state).toMatchObject({ points: 7, lifetimePoints: 12, orderCount: 1 }),
      );
  });

  const noted = (refunded: number): CustomerEvent => ({
    type: 'OrderRefundNoted',
    data: { customerId: 'c1', orderId: 'o2', refunded },
  });

  it('applies a refund noted by an older version when the credit comes', () => {
    // Paid 1,299 (12 points), 500 refunded first: worth floor(799 / 100) = 7.
    const credit = { type: 'CreditOrder', data: { orderId: 'o2', total: 1299 } } as const;
    spec
      .given(registered, noted(500))
      .when(credit)
      .thenEmits(added(12, 'o2'), {
        type: 'CustomerPointsDeducted',
        data: { customerId: 'c1', orderId: 'o2', points: 5, creditedAfter: 7 },
      })
      .thenState((state) => {
        expect(state).toMatchObject({ points: 7, lifetimePoints: 12, orderCount: 1 });
        expect(state.pendingRefunds).toEqual({});
      });
  });

  it('adds seed points without an order (v1 history)', () => {
    const state = spec.given(registered, added(40)).state;
    expect(state).toMatchObject({ points: 40, lifetimePoints: 40, orderCount: 0 });
  });

  it('upcasts CustomerPointsAdded v1 to v2 and snapshots every 100 events', () => {
    const schema = customerEntity.events.CustomerPointsAdded;
    const upcast = schema.upcasters?.[1];
    expect(schema.version).toBe(2);
    expect(upcast?.({ customerId: 'c', points: 5 })).toEqual({
      customerId: 'c',
      points: 5,
      loyaltyTier: 'Bronze',
    });
    expect(upcast?.({ points: 5, loyaltyTier: 'Gold' })).toEqual({
      points: 5,
      loyaltyTier: 'Gold',
    });
    expect([customerEntity.snapshotEvery, customerEntity.stateSchemaVersion]).toEqual([100, 3]);
  });
});
