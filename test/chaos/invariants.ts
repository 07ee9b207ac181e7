/**
 * What must be true once the dust settles, checked through the HTTP API only:
 * - every acknowledged command's effect is present exactly once (each order's status, paid and
 *   refunded equal the model's; each slot's reserved equals its live acknowledged reservations);
 * - versions have no gaps (each order's audit trail runs 1..version);
 * - no slot is over capacity;
 * - each customer's points, lifetime points, tier and order count are what API.md's loyalty rules
 *   compute from the final paid and refunded amounts of their orders;
 * - each customer's order history lists exactly their orders, with their status and total;
 * - each branch's daily sales equal the sums of the payments and refunds in the orders' trails.
 */
import { type ClientOptions, send } from './client.ts';
import type { OrderModel, World } from './workload.ts';

export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

interface TrailEvent {
  readonly position: number;
  readonly type: string;
  readonly data: { amount?: number };
  readonly recordedAt: string;
}

const tierOf = (lifetime: number) =>
  lifetime >= 5000 ? 'gold' : lifetime >= 1000 ? 'silver' : 'bronze';

/** Loyalty by API.md: points per paid order, worth after refunds, tiers by lifetime points. */
export function expectedLoyalty(orders: readonly OrderModel[]) {
  let points = 0;
  let lifetimePoints = 0;
  let orderCount = 0;
  for (const order of orders) {
    if (order.paid === 0) continue;
    orderCount++;
    lifetimePoints += Math.floor(order.total / 100);
    points += Math.floor((order.paid - order.refunded) / 100);
  }
  return { points, lifetimePoints, tier: tierOf(lifetimePoints), orderCount };
}

type Fail = (invariant: string, detail: string) => void;
type Sales = Map<string, { paidOrders: number; revenue: number; refunds: number }>;

export async function checkInvariants(client: ClientOptions, world: World): Promise<Violation[]> {
  const violations: Violation[] = [];
  const fail: Fail = (invariant, detail) => violations.push({ invariant, detail });
  const sales: Sales = new Map();
  for (const order of world.orders.values()) await checkOrder(client, order, fail, sales);
  await checkSlots(client, world, fail);
  for (const customerId of world.customers) await checkCustomer(client, world, customerId, fail);
  await checkSales(client, sales, fail);
  return violations;
}

async function checkOrder(client: ClientOptions, order: OrderModel, fail: Fail, sales: Sales) {
  const got = await send(client, 'GET', `/orders/${order.orderId}`);
  const { status, paid, refunded } = got.body ?? {};
  if (
    got.status !== 200 ||
    status !== order.status ||
    paid !== order.paid ||
    refunded !== order.refunded
  ) {
    fail(
      'effect exactly once',
      `order ${order.orderId}: ${JSON.stringify(got.body)}, acknowledged ${JSON.stringify(order)}`,
    );
  }
  const trail = await send(client, 'GET', `/orders/${order.orderId}/events?limit=1000`);
  const events: TrailEvent[] = trail.body?.events ?? [];
  const gapless = events.every((e, i) => e.position === i + 1);
  if (!gapless || events.length !== got.body?.version) {
    fail(
      'versions gap-free',
      `order ${order.orderId}: positions ${events.map((e) => e.position)} at version ${got.body?.version}`,
    );
  }
  for (const event of events) {
    const key = `${order.branchId}|${event.recordedAt.slice(0, 10)}`;
    const day = sales.get(key) ?? { paidOrders: 0, revenue: 0, refunds: 0 };
    if (event.type === 'OrderPaid') {
      day.paidOrders++;
      day.revenue += event.data.amount ?? 0;
    }
    if (event.type === 'OrderRefunded') day.refunds += event.data.amount ?? 0;
    sales.set(key, day);
  }
}

async function checkSlots(client: ClientOptions, world: World, fail: Fail) {
  for (const slot of world.slots) {
    const key = `${slot.branchId}/${slot.slotId}`;
    const live = world.reservations
      .filter((r) => r.slotKey === key && !r.released)
      .reduce((sum, r) => sum + r.quantity, 0);
    const got = await send(client, 'GET', `/branches/${slot.branchId}/slots/${slot.slotId}`);
    if (got.body?.reserved !== live) {
      fail(
        'effect exactly once',
        `slot ${key}: reserved ${got.body?.reserved}, live acknowledged ${live}`,
      );
    }
    if (!(got.body?.reserved <= got.body?.capacity)) {
      fail('no slot over capacity', `slot ${key}: ${JSON.stringify(got.body)}`);
    }
  }
}

async function checkCustomer(client: ClientOptions, world: World, customerId: string, fail: Fail) {
  const orders = [...world.orders.values()].filter((o) => o.customerId === customerId);
  const expected = expectedLoyalty(orders);
  const got = await send(client, 'GET', `/customers/${customerId}`);
  const actual = {
    points: got.body?.points,
    lifetimePoints: got.body?.lifetimePoints,
    tier: got.body?.tier,
    orderCount: got.body?.orderCount,
  };
  same(fail, 'loyalty', `customer ${customerId}`, actual, expected);
  const history = await send(client, 'GET', `/customers/${customerId}/orders`);
  const rows: { orderId: string; status: string; total: number }[] = history.body?.orders ?? [];
  const listed = new Map(rows.map((o) => [o.orderId, o]));
  const wrong = orders.filter((o) => {
    const row = listed.get(o.orderId);
    return !row || row.status !== o.status || row.total !== o.total;
  });
  if (wrong.length > 0 || listed.size !== orders.length) {
    fail(
      'order history',
      `customer ${customerId}: ${listed.size} listed, ${orders.length} orders, ${wrong.length} differ (${wrong.slice(0, 3).map((o) => o.orderId)})`,
    );
  }
}

async function checkSales(client: ClientOptions, sales: Sales, fail: Fail) {
  for (const [key, day] of sales) {
    const [branchId, date] = key.split('|') as [string, string];
    const got = await send(client, 'GET', `/branches/${branchId}/sales?date=${date}`);
    const expected = { ...day, net: day.revenue - day.refunds };
    const actual = {
      paidOrders: got.body?.paidOrders,
      revenue: got.body?.revenue,
      refunds: got.body?.refunds,
      net: got.body?.net,
    };
    same(fail, 'daily sales', `${branchId} ${date}`, actual, expected);
  }
}

function same(fail: Fail, invariant: string, what: string, actual: unknown, expected: unknown) {
  const [got, want] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (got !== want) fail(invariant, `${what}: ${got}, expected ${want}`);
}
