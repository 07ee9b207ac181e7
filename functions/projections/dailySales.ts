/**
 * A branch's sales per UTC day: payments and refunds counted on the day they were recorded,
 * each exactly once (the store keeps a marker per event with the addition).
 */
import { defineProjection, type ReadModelReader } from '@coffee-es/core';
import { orderEntity } from '../domain/orders/index.ts';

const dayOf = (isoTime: string) => isoTime.slice(0, 10);

/** Partition: branch and date; one aggregate per partition. */
export const dailySales = defineProjection(orderEntity).counter({
  name: 'dailySales',
  keyPrefix: 'Sales#',
  totals: ['paidOrders', 'revenue', 'refunds'],
  changesOf: (event) => {
    switch (event.type) {
      case 'OrderPaid': {
        const { branchId, amount, paidAt } = event.data;
        const date = dayOf(paidAt);
        return [
          {
            partition: [branchId, date],
            add: { paidOrders: 1, revenue: amount },
            set: { branchId, date },
          },
        ];
      }
      case 'OrderRefunded': {
        const { branchId, amount, refundedAt } = event.data;
        const date = dayOf(refundedAt);
        return [{ partition: [branchId, date], add: { refunds: amount }, set: { branchId, date } }];
      }
      default:
        return [];
    }
  },
});

/** `GET /branches/{id}/sales?date=`: the day's totals (zeros before the first sale). */
export async function salesOf(reader: ReadModelReader, branchId: string, date: string) {
  const { paidOrders, revenue, refunds } = await dailySales.get(reader, [branchId, date]);
  return { branchId, date, paidOrders, revenue, refunds, net: revenue - refunds };
}
