/**
 * A large journal written directly (`writeCommitsInBatches`, 25 commits a request): the
 * journal tools' specs and bench need tens of thousands of events, which through HTTP would
 * take minutes. The commits are the coffee franchise's order streams as its deciders write them
 * (placed, paid, ready, collected; every fifth refunded in part), one commit per event, with a
 * snapshot now and then, so that export, import and migrate meet every commit attribute.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Commit } from '@coffee-es/core';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';

/** Events per order stream: placed, paid, ready, collected, and a refund for every fifth. */
export const eventsOfOrder = (n: number) => (n % 5 === 0 ? 5 : 4);

/** The commits of order `n` (at `branchId`, recorded on `day`). */
export function orderCommits(n: number, branchId: string, day: string): Commit[] {
  const orderId = `seed-${String(n).padStart(6, '0')}`;
  const total = 100 + ((n * 37) % 2_000);
  const at = (minute: number) => `${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const data = [
    {
      type: 'OrderPlaced',
      data: {
        orderId,
        branchId,
        items: [{ sku: 'latte', quantity: 1, unitPrice: total }],
        total,
        placedAt: at(1),
      },
    },
    { type: 'OrderPaid', data: { orderId, branchId, amount: total, total, paidAt: at(2) } },
    { type: 'OrderReady', data: { orderId, readyAt: at(3) } },
    { type: 'OrderCollected', data: { orderId, collectedAt: at(4) } },
    ...(n % 5 === 0
      ? [
          {
            type: 'OrderRefunded',
            data: {
              orderId,
              branchId,
              amount: 50,
              reason: 'cold',
              paid: total,
              refundedTotal: 50,
              refundedAt: at(5),
            },
          },
        ]
      : []),
  ];
  return data.map((event, i) => ({
    streamId: `Order#${orderId}`,
    entityType: 'Order',
    from: i + 1,
    to: i + 1,
    events: [{ ...event, schemaVersion: 1 }],
    recordedAt: at(i + 1),
    commandId: `${orderId}-c${i + 1}`,
    ...(i === 1
      ? { idempotencyKey: `pay-${orderId}`, fingerprint: 'f1', reply: { status: 200 } }
      : {}),
    ...(i === 3 && n % 7 === 0
      ? {
          snapshot: {
            schemaVersion: 1,
            state: { orderId, status: 'collected', total, paid: total },
            recentKeys: [],
          },
        }
      : {}),
  }));
}

/**
 * Writes order streams until at least `events` events are in `table`; answers how many events
 * and streams it wrote. Orders are numbered from `first` (to add more later without clashing).
 */
export async function seedOrders(
  client: DynamoDBClient,
  table: string,
  options: {
    readonly events: number;
    readonly branchId: string;
    readonly day: string;
    readonly first?: number;
  },
): Promise<{ readonly events: number; readonly streams: number; readonly totals: number }> {
  let events = 0;
  let streams = 0;
  let totals = 0;
  let n = options.first ?? 1;
  let pending: Commit[] = [];
  while (events < options.events) {
    const commits = orderCommits(n++, options.branchId, options.day);
    pending.push(...commits);
    events += commits.length;
    streams++;
    totals += (commits[0]?.events[0]?.data as { total?: number } | undefined)?.total ?? 0;
    if (pending.length >= 500) {
      await writeCommitsInBatches(client, table, pending);
      pending = [];
    }
  }
  if (pending.length > 0) await writeCommitsInBatches(client, table, pending);
  return { events, streams, totals };
}
