/**
 * An order driven through several commands over HTTP on a local runtime, for the stream
 * commands' specs: placed, paid (keyed), ready, collected, refunded twice (six positions).
 */
import type { App } from '../../support/appServer.ts';

/** Places and drives one order; resolves with its id. `tag` keeps ids apart between calls. */
export async function driveOrder(app: App, tag: string, cents = 1_000): Promise<string> {
  const placed = await app.call('POST', '/branches/b1/orders', {
    customerId: 'c1',
    items: [{ sku: `beans-${tag}`, quantity: 2, unitPrice: cents / 2 }],
  });
  if (placed.status !== 201 && placed.status !== 200)
    throw new Error(`place: ${placed.status} ${JSON.stringify(placed.body)}`);
  const orderId = placed.body.orderId as string;
  const steps: [string, unknown, Record<string, string>?][] = [
    ['payment', { amount: cents }, { 'idempotency-key': `pay-${tag}` }],
    ['ready', {}],
    ['collection', {}],
    ['refunds', { amount: 100, reason: 'cold' }],
    ['refunds', { amount: 50, reason: 'late' }],
  ];
  for (const [path, body, headers] of steps) {
    const answer = await app.call('POST', `/orders/${orderId}/${path}`, body, headers);
    if (answer.status !== 200)
      throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return orderId;
}

/** The branch and customer an order needs. */
export async function openShop(app: App): Promise<void> {
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
}
