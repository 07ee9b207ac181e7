/**
 * A 60-second outage of the events queue (every send to it failing, the other queues up) during a
 * stream of payments: the relay keeps retrying, with backoff, and sets nothing aside; once the
 * queue is back every loyalty credit arrives, exactly once. 60 s is more than the old retry
 * budget (10 retries without delay) lasted by a wide margin: that budget lost credits in 1.4 s.
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type SqsEmulator, sqsClientFor, startSqsEmulator } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';

const outageMs = 60_000;
const customers = ['c1', 'c2', 'c3'];
let emulator: SqsEmulator;
let proxy: FaultProxy;
let app: App;
let sqs: SQSClient;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  proxy = await startFaultProxy(emulator.endpoint);
  app = await startApp('sqsOutage', { sqsEndpoint: proxy.endpoint });
  sqs = sqsClientFor(emulator.endpoint);
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  for (const id of customers) {
    await app.call('POST', '/customers', { customerId: id, name: id, email: `${id}@x.io` });
  }
});
afterAll(async () => {
  sqs?.destroy();
  await app?.stop();
  await proxy?.close();
  await emulator?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const points = async (id: string) => (await app.call('GET', `/customers/${id}`)).body;
const isEmpty = async (queueUrl: string) => {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return (out.Messages ?? []).length === 0;
};

describe('an outage of the events queue', () => {
  it('loses no credit and sets nothing aside: every credit arrives once when it is back', async () => {
    const urls = app.runtime.queueUrls;
    if (!urls) throw new Error('no queues');
    const eventsQueue = urls.queues.events?.split('/').at(-1) as string;
    const expected = new Map(customers.map((c) => [c, { points: 0, orders: 0 }]));
    const stop = proxy.inject({
      operation: /^SendMessage/,
      resource: eventsQueue,
      fault: 'unavailable',
    });
    const started = Date.now();
    // A payment every 2.5 s for the whole outage, spread over three customers.
    for (let i = 0; Date.now() - started < outageMs - 2_500; i++) {
      const customerId = customers[i % customers.length] as string;
      const cents = 1_000 + 137 * i;
      const placed = await app.call('POST', '/branches/b1/orders', {
        customerId,
        items: [{ sku: 'beans', quantity: 1, unitPrice: cents }],
      });
      const paid = await app.call('POST', `/orders/${placed.body.orderId}/payment`, {
        amount: cents,
      });
      expect(paid.status).toBe(200);
      const e = expected.get(customerId) as { points: number; orders: number };
      e.points += Math.floor(cents / 100);
      e.orders += 1;
      await sleep(2_500);
    }
    await sleep(Math.max(0, outageMs - (Date.now() - started)));
    // Down for the whole minute: nothing reached the customers, the relay kept trying.
    for (const id of customers) expect((await points(id)).orderCount).toBe(0);
    const refused = proxy.calls.filter((c) => c.resource === eventsQueue && c.fault).length;
    const relay = app.runtime.workers?.streamPollers.relay;
    const failedBatches = relay?.stats.failedBatches ?? 0;
    stop();
    const back = Date.now();

    const total = [...expected.values()].reduce((n, e) => n + e.orders, 0);
    for (;;) {
      const views = await Promise.all(customers.map(points));
      if (views.reduce((n, v) => n + v.orderCount, 0) >= total) break;
      if (Date.now() - back > 30_000) throw new Error('credits did not arrive within 30 s');
      await sleep(200);
    }
    const recoveredMs = Date.now() - back;
    await app.settle();
    for (const id of customers) {
      const e = expected.get(id) as { points: number; orders: number };
      expect(await points(id), id).toMatchObject({
        points: e.points,
        lifetimePoints: e.points,
        orderCount: e.orders,
      });
      // Registered, then one commit per credit: none applied twice.
      expect(await app.commits(`Customer#${id}`)).toBe(1 + e.orders);
    }
    expect(relay?.stats.sentToFailure).toBe(0);
    expect(app.runtime.workers?.streamPollers.projector?.stats.sentToFailure).toBe(0);
    expect(await isEmpty(urls.failures.relay as string)).toBe(true);
    expect(await isEmpty(urls.deadLetters.events as string)).toBe(true);
    expect(failedBatches).toBeGreaterThan(10);
    console.log(
      `outage ${outageMs / 1000} s, ${total} payments: ${refused} sends refused, ${failedBatches} failed relay invocations, every credit in ${recoveredMs} ms once the queue was back`,
    );
  }, 150_000);
});
