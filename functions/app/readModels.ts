/**
 * Queries of the read models (eventual): order history, daily sales, availability, status. Each
 * reads through its projection's typed `get`/`query`, so the key layout lives in one place.
 */
import { projectionStatuses, type ReadModelReader } from '@coffee-es/core';
import { availability } from '../projections/availability.ts';
import { dailySales } from '../projections/dailySales.ts';
import { readSide } from '../projections/index.ts';
import { orderHistory } from '../projections/orderHistory.ts';

export class ReadModels {
  constructor(private readonly store: () => ReadModelReader) {}

  async customerOrders(customerId: string) {
    const entries = await orderHistory.query(this.store(), customerId, {
      newestFirst: true,
      limit: 100,
    });
    return entries.map(({ orderId, branchId, status, total, placedAt }) => ({
      orderId,
      branchId,
      status,
      total,
      placedAt,
    }));
  }

  async dailySales(branchId: string, date: string) {
    const { paidOrders, revenue, refunds } = await dailySales.get(this.store(), [branchId, date]);
    return { branchId, date, paidOrders, revenue, refunds, net: revenue - refunds };
  }

  async availability(branchIds: readonly string[], from: string, to: string, quantity: number) {
    const perBranch = await Promise.all(
      branchIds.map((branchId) => availability.query(this.store(), branchId)),
    );
    return perBranch
      .flat()
      .filter((s) => s.startsAt >= from && s.startsAt < to && s.remaining >= quantity)
      .map(({ branchId, slotId, startsAt, capacity, remaining }) => ({
        branchId,
        slotId,
        startsAt,
        capacity,
        remaining,
      }))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  projectionStatus() {
    return projectionStatuses(this.store(), readSide.projections);
  }
}
