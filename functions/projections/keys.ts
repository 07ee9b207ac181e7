/** Where each read model keeps its items in the read-model table: one place for writer and reader. */
export const readModelKeys = {
  customerOrders: (customerId: string) => ({ pk: `CustomerOrders#${customerId}` }),
  dailySales: (branchId: string, date: string) => ({
    pk: `Sales#${branchId}#${date}`,
    sk: 'total',
  }),
  branchSlots: (branchId: string) => ({ pk: `Slots#${branchId}` }),
  projectionStatus: { pk: 'Projection' },
} as const;

/** The read models the projector keeps, by name (as `GET /projections` reports them). */
export const projectionNames = ['orderHistory', 'dailySales', 'availability'] as const;
export type ProjectionName = (typeof projectionNames)[number];
