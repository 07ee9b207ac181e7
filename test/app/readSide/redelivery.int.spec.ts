/**
 * At-least-once delivery, made exactly-once by the consumers: every stream record and every SQS
 * message is delivered twice, interleaved across entities, and the read models and the points
 * come out as with a single delivery. Workers are off here: the spec delivers by hand.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createProjector, createRelay } from '@coffee-es/aws-lambda';
import { DynamoReadModelStore, ensureTables, readModelTable } from '@coffee-es/dynamodb';
import { clientFor, sqsClientFor, toSqsRecord } from '@coffee-es/local';
import type { DynamoDBRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSide } from '../../../functions/projections/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import {
  chunks,
  drainQueue,
  interleave,
  journalRecords,
  readModelItems,
} from '../../support/readSide.ts';

let app: App;
let loyalty: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const items = (cents: number) => [{ sku: 'beans', quantity: 1, unitPrice: cents }];

beforeAll(async () => {
  app = await startApp('redelivery', { workers: false, visibilityTimeoutSeconds: 1 });
  ({ handler: loyalty } = await import('../../../functions/handlers/loyalty.ts'));
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  for (const id of ['c1', 'c2']) {
    await app.call('POST', '/customers', { customerId: id, name: id, email: `${id}@x.io` });
  }
  const order = async (cents: number, customerId?: string) => {
    const placed = await app.call('POST', '/branches/b1/orders', {
      items: items(cents),
      ...(customerId ? { customerId } : {}),
    });
    const id = placed.body.orderId as string;
    await app.call('POST', `/orders/${id}/payment`, { amount: cents });
    return id;
  };
  await order(12_345, 'c1'); // 123 points
  const o2 = await order(8_000, 'c2'); // 80 points, then refunded 2,550: worth 54
  await app.call('POST', `/orders/${o2}/refunds`, { amount: 2_550, reason: 'cold' });
  const o3 = await order(500); // no customer, refunded in full
  await app.call('POST', `/orders/${o3}/refunds`, { amount: 500, reason: 'spilt' });
  await app.call('PUT', '/branches/b1/slots/s1', {
    startsAt: '2030-01-01T09:00:00.000Z',
    capacity: 6,
  });
  await app.call('POST', '/branches/b1/slots/s1/reservations', { quantity: 2 });
  const second = await app.call('POST', '/branches/b1/slots/s1/reservations', { quantity: 3 });
  await app.call('DELETE', `/reservations/${second.body.reservationId}`);
});
afterAll(() => app?.stop());

const streamOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.pk?.S ?? '';
const today = () => new Date().toISOString().slice(0, 10);

describe('redelivery', () => {
  it('gives the same read models when every stream record comes twice, interleaved', async () => {
    const env = app.runtime.environment;
    const client = clientFor(
      app.runtime.dynamoEndpoint,
      env.AWS_ACCESS_KEY_ID as string,
      env.AWS_REGION,
    );
    await ensureTables(client, { once: readModelTable, twice: readModelTable });
    const records = await journalRecords(app);
    expect(records.length).toBeGreaterThanOrEqual(14);

    const once = createProjector({
      store: new DynamoReadModelStore(client, 'once'),
      projections: readSide.projections,
      schemas: readSide.eventSchemas,
    });
    for (const batch of chunks(records, 100)) {
      expect((await once({ Records: batch })).batchItemFailures).toEqual([]);
    }

    const twice = createProjector({
      store: new DynamoReadModelStore(client, 'twice'),
      projections: readSide.projections,
      schemas: readSide.eventSchemas,
    });
    // Each record twice: the copy comes later, anywhere; streams interleave at random.
    const deliveries = interleave([...records, ...records], streamOf, 11);
    for (const batch of chunks(deliveries, 7)) {
      expect((await twice({ Records: batch })).batchItemFailures).toEqual([]);
    }

    const expected = await readModelItems(client, 'once');
    expect(await readModelItems(client, 'twice')).toEqual(expected);
    // And the figures are the right ones, not merely equal.
    expect(expected[`Sales#b1#${today()}|total`]).toMatchObject({
      paidOrders: 3,
      revenue: 12_345 + 8_000 + 500,
      refunds: 2_550 + 500,
    });
    expect(expected['Slots#b1|s1']).toMatchObject({ capacity: 6, reserved: 2, remaining: 4 });
    client.destroy();
  });

  it('awards points once when every message comes twice, interleaved across groups', async () => {
    const sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
    const queueUrl = app.runtime.queueUrls?.queues.events as string;
    const relay = createRelay({
      client: sqs,
      queueUrl,
      failureQueueUrl: app.runtime.queueUrls?.failures.relay as string,
      schemas: readSide.eventSchemas,
    });
    const records = await journalRecords(app);
    // The relay itself delivered twice: FIFO de-duplication drops the copies within 5 minutes.
    expect((await relay({ Records: records })).batchItemFailures).toEqual([]);
    expect((await relay({ Records: records })).batchItemFailures).toEqual([]);
    const messages = await drainQueue(sqs, queueUrl);
    expect(messages).toHaveLength(
      records.reduce((n, r) => n + JSON.parse(r.dynamodb?.NewImage?.ev?.S ?? '[]').length, 0),
    );

    const groupOf = (m: SQSRecord) => m.attributes.MessageGroupId ?? '';
    const deliveries = interleave([...messages, ...messages], groupOf, 5);
    for (const batch of chunks(deliveries, 10)) {
      expect((await loyalty({ Records: batch })).batchItemFailures).toEqual([]);
    }

    expect((await app.call('GET', '/customers/c1')).body).toMatchObject({
      points: 123,
      lifetimePoints: 123,
      orderCount: 1,
    });
    expect((await app.call('GET', '/customers/c2')).body).toMatchObject({
      points: 54,
      lifetimePoints: 80,
      orderCount: 1,
    });
    // Registered, credited (and adjusted): nothing appended twice.
    expect(await app.commits('Customer#c1')).toBe(2);
    expect(await app.commits('Customer#c2')).toBe(3);
    sqs.destroy();
  });

  it('does not award points twice when the consumer crashes after its effect', async () => {
    const sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
    const queueUrl = app.runtime.queueUrls?.queues.events as string;
    const placed = await app.call('POST', '/branches/b1/orders', {
      items: items(1_000),
      customerId: 'c1',
    });
    await app.call('POST', `/orders/${placed.body.orderId}/payment`, { amount: 1_000 });
    const paid = (await journalRecords(app)).filter(
      (r) =>
        streamOf(r) === `Order#${placed.body.orderId}` &&
        r.dynamodb?.NewImage?.ev?.S?.includes('OrderPaid'),
    );
    expect(paid).toHaveLength(1);
    const relay = createRelay({
      client: sqs,
      queueUrl,
      failureQueueUrl: app.runtime.queueUrls?.failures.relay as string,
      schemas: readSide.eventSchemas,
    });
    expect((await relay({ Records: paid })).batchItemFailures).toEqual([]);

    const receive = async () => {
      for (let i = 0; i < 50; i++) {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            MessageSystemAttributeNames: ['All'],
            WaitTimeSeconds: 1,
          }),
        );
        if (out.Messages?.length) return out.Messages;
      }
      throw new Error('nothing to receive');
    };
    // First delivery: the effect happens, then the consumer "crashes": no delete, no answer.
    const first = await receive();
    await loyalty({ Records: first.map((m) => toSqsRecord(m, 'arn', 'us-east-1')) });
    expect((await app.call('GET', '/customers/c1')).body.points).toBe(133);

    // After the visibility timeout (1 s here) SQS delivers the same messages again.
    const again = await receive();
    expect(again.map((m) => m.MessageId).sort()).toEqual(first.map((m) => m.MessageId).sort());
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    const answer = await loyalty({ Records: again.map((m) => toSqsRecord(m, 'arn', 'us-east-1')) });
    expect(answer.batchItemFailures).toEqual([]);
    for (const m of again) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
    expect((await app.call('GET', '/customers/c1')).body).toMatchObject({
      points: 133,
      orderCount: 2,
    });
    sqs.destroy();
  });

  it('sends a malformed message back as a batch item failure', async () => {
    const answer = await loyalty({
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'r',
          body: 'not json',
          attributes: { MessageGroupId: 'g' },
        } as unknown as SQSRecord,
      ],
    });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  });
});
