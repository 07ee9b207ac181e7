/**
 * The partition-key prefix of each projection's items (and of its idempotency markers): the
 * projections write under them, and the deployed roles are scoped by them (functions/app/system.ts).
 */
export const readModelPrefixes = {
  orderHistory: 'CustomerOrders#',
  dailySales: 'Sales#',
  availability: 'Slots#',
} as const;

/** Where each read model keeps its items in the read-model table: one place for writer and reader. */
export const readModelKeys = {
  customerOrders: (customerId: string) => ({
    pk: `${readModelPrefixes.orderHistory}${customerId}`,
  }),
  dailySales: (branchId: string, date: string) => ({
    pk: `${readModelPrefixes.dailySales}${branchId}#${date}`,
    sk: 'total',
  }),
  branchSlots: (branchId: string) => ({ pk: `${readModelPrefixes.availability}${branchId}` }),
  projectionStatus: { pk: 'Projection' },
} as const;

/** The read models the projector keeps, by name (as `GET /projections` reports them). */
export const projectionNames = ['orderHistory', 'dailySales', 'availability'] as const;
export type ProjectionName = (typeof projectionNames)[number];
