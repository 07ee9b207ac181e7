/**
 * Projections heal their own gaps. The projector's writes to the read-model table are throttled
 * (a fault proxy in front of DynamoDB) until its records are set aside in the failure
 * destination; once throttling stops, the next commit of the stream reads what the document
 * lacks from the journal: the order history catches up by itself, with no rebuild, and the
 * daily sales count the set-aside payment exactly once. A document whose stream gets no later
 * commit is repaired by the sweep of the failure destination, with no command at all.
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsClientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let proxy: FaultProxy;
let app: App;
let sqs: SQSClient;
beforeAll(async () => {
  // One attempt per SDK call (this spec file runs in a process of its own): the projector's
  // records reach the failure destination in well under a second rather than after about 30 s
  // of the SDK's throttling backoff; the path they take there is the same.
  process.env.AWS_MAX_ATTEMPTS = '1';
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('selfHealing', { dynamoEndpoint: proxy.endpoint });
  sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(async () => {
  sqs?.destroy();
  await app?.stop();
  await proxy?.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const projector = () => {
  const poller = app.runtime.workers?.streamPollers.projector;
  if (!poller) throw new Error('no projector');
  return poller;
};

async function waitFor(probe: () => boolean | Promise<boolean>, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every write the projector makes to the read models fails as throttled. */
const throttleReadModelWrites = () =>
  proxy.inject({
    operation: /^(PutItem|UpdateItem|TransactWriteItems|BatchWriteItem)$/,
    resource: app.runtime.tableNames.readModels as string,
    fault: 'throttle',
  });

const history = async (orderId: string) =>
  ((await app.call('GET', '/customers/c1/orders')).body.orders as { orderId: string }[]).find(
    (o) => o.orderId === orderId,
  );

/** How many failure notices the projector's failure destination holds (without hiding them). */
async function notices(): Promise<number> {
  let count = 0;
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: app.runtime.queueUrls?.failures.projector as string,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    for (const m of out.Messages ?? [])
      if (!seen.has(m.MessageId ?? '')) seen.add(m.MessageId ?? '');
    count = seen.size;
  }
  return count;
}

describe('a projection that lost records to the failure destination', () => {
  it('catches up with the next commit of the stream, counting the set-aside payment once', async () => {
    const placed = await app.call('POST', '/branches/b1/orders', {
      customerId: 'c1',
      items: [{ sku: 'beans', quantity: 1, unitPrice: 4_200 }],
    });
    const orderId = placed.body.orderId as string;
    await app.settle();
    expect(await history(orderId)).toMatchObject({ status: 'placed' });

    const stop = throttleReadModelWrites();
    const setAside = projector().stats.sentToFailure;
    await app.call('POST', `/orders/${orderId}/payment`, { amount: 4_200 });
    await waitFor(() => projector().stats.sentToFailure === setAside + 1);
    await app.call('POST', `/orders/${orderId}/ready`, {});
    await waitFor(() => projector().stats.sentToFailure === setAside + 2);
    // Both records are gone from the stream's point of view; the read model is stuck at placed.
    expect(await history(orderId)).toMatchObject({ status: 'placed' });
    expect(proxy.injected()).toBeGreaterThan(0);
    stop();

    const collected = await app.call('POST', `/orders/${orderId}/collection`, {});
    expect(collected.body.status).toBe('collected');
    await app.settle();

    const order = (await app.call('GET', `/orders/${orderId}`)).body;
    expect(await history(orderId)).toEqual({
      orderId,
      branchId: 'b1',
      status: order.status,
      total: order.total,
      placedAt: expect.any(String),
    });
    expect(order.status).toBe('collected');
    const sales = (await app.call('GET', `/branches/b1/sales?date=${today()}`)).body;
    expect(sales).toMatchObject({ paidOrders: 1, revenue: 4_200 });
    // Nothing more was set aside, and no rebuild ran: the next commit did the repair.
    expect(projector().stats.sentToFailure).toBe(setAside + 2);
  });

  it('is repaired by the periodic sweep when its stream gets no later commit', async () => {
    const placed = await app.call('POST', '/branches/b1/orders', {
      customerId: 'c1',
      items: [{ sku: 'cake', quantity: 1, unitPrice: 700 }],
    });
    const orderId = placed.body.orderId as string;
    await app.settle();
    const before = (await app.call('GET', `/branches/b1/sales?date=${today()}`)).body;

    const noticesBefore = await notices();
    const stop = throttleReadModelWrites();
    const setAside = projector().stats.sentToFailure;
    await app.call('POST', `/orders/${orderId}/payment`, { amount: 700 });
    await waitFor(() => projector().stats.sentToFailure === setAside + 1);
    expect(await history(orderId)).toMatchObject({ status: 'placed' });
    stop();

    // No command after this: the sweep hands the set-aside record to the projector again.
    await waitFor(
      async () => ((await history(orderId)) as { status?: string } | undefined)?.status === 'paid',
      20,
    );
    const order = (await app.call('GET', `/orders/${orderId}`)).body;
    expect(order.status).toBe('paid');
    const sales = (await app.call('GET', `/branches/b1/sales?date=${today()}`)).body;
    expect(sales).toMatchObject({
      paidOrders: before.paidOrders + 1,
      revenue: before.revenue + 700,
    });
    // Its notice leaves the failure destination once the projector took the record.
    await waitFor(async () => (await notices()) <= noticesBefore, 30);
  });
});
