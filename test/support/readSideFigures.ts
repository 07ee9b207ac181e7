/**
 * The read-side figures a stop puts at risk, read in parallel so that a check takes a second or
 * two rather than the minute a full invariant pass takes under load: every customer's loyalty
 * figures and order history, and every branch's daily sales. What they must be is computed first,
 * from the acknowledged orders and their audit trails in the journal.
 */
import { type ClientOptions, send } from '../chaos/client.ts';
import { expectedLoyalty, type Violation } from '../chaos/invariants.ts';
import type { World } from '../chaos/workload.ts';

interface Expected {
  readonly customers: Map<string, { loyalty: string; orders: Map<string, string> }>;
  readonly sales: Map<string, string>;
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** Loyalty, histories and sales as API.md computes them from the orders and their trails. */
export async function expectedFigures(client: ClientOptions, world: World): Promise<Expected> {
  const orders = [...world.orders.values()];
  const days = new Map<string, { paidOrders: number; revenue: number; refunds: number }>();
  await inParallel(orders, 8, async (order) => {
    const trail = await send(client, 'GET', `/orders/${order.orderId}/events?limit=1000`);
    for (const event of trail.body?.events ?? []) {
      const key = `${order.branchId}|${String(event.recordedAt).slice(0, 10)}`;
      const day = days.get(key) ?? { paidOrders: 0, revenue: 0, refunds: 0 };
      if (event.type === 'OrderPaid') {
        day.paidOrders++;
        day.revenue += event.data?.amount ?? 0;
      }
      if (event.type === 'OrderRefunded') day.refunds += event.data?.amount ?? 0;
      days.set(key, day);
    }
  });
  const customers = new Map(
    world.customers.map((customerId) => {
      const mine = orders.filter((o) => o.customerId === customerId);
      return [
        customerId,
        {
          loyalty: JSON.stringify(expectedLoyalty(mine)),
          orders: new Map(mine.map((o) => [o.orderId, `${o.status} ${o.total}`])),
        },
      ];
    }),
  );
  const sales = new Map(
    [...days].map(([key, d]) => [key, JSON.stringify({ ...d, net: d.revenue - d.refunds })]),
  );
  return { customers, sales };
}

/** One parallel look at the read side: what differs from `expected`. */
export async function readSideViolations(
  client: ClientOptions,
  expected: Expected,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  await inParallel([...expected.customers], 8, async ([customerId, want]) => {
    const [customer, history] = await Promise.all([
      send(client, 'GET', `/customers/${customerId}`),
      send(client, 'GET', `/customers/${customerId}/orders`),
    ]);
    const { points, lifetimePoints, tier, orderCount } = customer.body ?? {};
    const loyalty = JSON.stringify({ points, lifetimePoints, tier, orderCount });
    if (loyalty !== want.loyalty) {
      violations.push({
        invariant: 'loyalty',
        detail: `${customerId}: ${loyalty}, expected ${want.loyalty}`,
      });
    }
    const rows: { orderId: string; status: string; total: number }[] = history.body?.orders ?? [];
    const listed = new Map(rows.map((r) => [r.orderId, `${r.status} ${r.total}`]));
    const differ = [...want.orders].filter(([id, row]) => listed.get(id) !== row);
    if (differ.length > 0 || listed.size !== want.orders.size) {
      violations.push({
        invariant: 'order history',
        detail: `${customerId}: ${listed.size} listed, ${want.orders.size} orders, ${differ.length} differ`,
      });
    }
  });
  await inParallel([...expected.sales], 4, async ([key, want]) => {
    const [branchId, date] = key.split('|') as [string, string];
    const got = await send(client, 'GET', `/branches/${branchId}/sales?date=${date}`);
    const { paidOrders, revenue, refunds, net } = got.body ?? {};
    const actual = JSON.stringify({ paidOrders, revenue, refunds, net });
    if (actual !== want) {
      violations.push({
        invariant: 'daily sales',
        detail: `${branchId} ${date}: ${actual}, expected ${want}`,
      });
    }
  });
  return violations;
}
