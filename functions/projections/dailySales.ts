/**
 * A branch's sales per UTC day: payments and refunds counted on the day they were recorded,
 * each exactly once (the writer keeps a marker per event in the same transaction).
 */
import { counterProjection, type ProjectedEvent } from '@coffee-es/core';
import type { OrderEvent } from '../domain/index.ts';
import { readModelKeys, readModelPrefixes } from './keys.ts';

const dayOf = (isoTime: string) => isoTime.slice(0, 10);

export const dailySales = counterProjection({
  name: 'dailySales',
  entityTypes: ['Order'],
  keyPrefix: readModelPrefixes.dailySales,
  changesOf: (event: ProjectedEvent) => {
    const order = event as unknown as OrderEvent;
    switch (order.type) {
      case 'OrderPaid': {
        const { branchId, amount, paidAt } = order.data;
        const date = dayOf(paidAt);
        return [
          {
            key: readModelKeys.dailySales(branchId, date),
            add: { paidOrders: 1, revenue: amount },
            set: { branchId, date },
          },
        ];
      }
      case 'OrderRefunded': {
        const { branchId, amount, refundedAt } = order.data;
        const date = dayOf(refundedAt);
        return [
          {
            key: readModelKeys.dailySales(branchId, date),
            add: { refunds: amount },
            set: { branchId, date },
          },
        ];
      }
      default:
        return [];
    }
  },
});
