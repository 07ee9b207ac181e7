/**
 * Poison records and messages: they are retried a bounded number of times and set aside (the
 * stream's on-failure destination, the queue's dead-letter queue) while everything else flows;
 * the redrive command brings dead letters back.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseFailureNotice, redriveDeadLetters } from '@coffee-es/aws-lambda';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor, sqsClientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
beforeAll(async () => {
  app = await startApp('failures', { visibilityTimeoutSeconds: 1 });
  const env = app.runtime.environment;
  dynamo = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID as string, env.AWS_REGION);
  sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(async () => {
  dynamo?.destroy();
  sqs?.destroy();
  await app?.stop();
});

async function placeAndPay(cents: number) {
  const placed = await app.call('POST', '/branches/b1/orders', {
    customerId: 'c1',
    items: [{ sku: 'beans', quantity: 1, unitPrice: cents }],
  });
  await app.call('POST', `/orders/${placed.body.orderId}/payment`, { amount: cents });
  return placed.body.orderId as string;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const peek = async (queueUrl: string) => {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return out.Messages ?? [];
};

describe('poison', () => {
  it('sets a poison journal record aside after bounded retries; the rest is applied', async () => {
    const before = await placeAndPay(1_000);
    // A commit this code cannot read (an event type it does not know), as a bad deploy might write.
    await writeCommitsInBatches(dynamo, app.runtime.tableNames.journal as string, [
      {
        streamId: 'Order#poison',
        entityType: 'Order',
        from: 1,
        to: 1,
        events: [{ type: 'OrderTeleported', schemaVersion: 1, data: { to: 'Mars' } }],
        recordedAt: new Date().toISOString(),
        commandId: 'poison',
      },
    ]);
    const after = await placeAndPay(2_000);
    await app.settle();

    const history = (await app.call('GET', '/customers/c1/orders')).body.orders;
    expect(history.map((o: { orderId: string }) => o.orderId).sort()).toEqual(
      [before, after].sort(),
    );
    expect((await app.call('GET', '/customers/c1')).body.points).toBe(30);

    const projector = app.runtime.workers?.streamPollers.projector;
    expect(projector?.stats.sentToFailure).toBe(1);
    const failures = await peek(app.runtime.queueUrls?.failures.projector as string);
    expect(failures).toHaveLength(1);
    const info = JSON.parse(failures[0]?.Body ?? '{}');
    expect(info.requestContext.condition).toBe('RetryAttemptsExhausted');
    // Retried as declared (5 retries); set aside alone, the records around it went through.
    expect(info.requestContext.approximateInvokeCount).toBe(6);
    expect(info.DDBStreamBatchInfo.batchSize).toBe(1);
    // The relay set it aside itself, at once (its retries are unlimited), naming where it is so
    // that it can be re-relayed from the journal; its other events reached the queue (the points).
    const relayed = await peek(app.runtime.queueUrls?.failures.relay as string);
    expect(relayed.map((m) => parseFailureNotice(m.Body ?? ''))).toEqual([
      {
        kind: 'positions',
        records: [expect.objectContaining({ streamId: 'Order#poison', from: 1, to: 1 })],
      },
    ]);
    expect(app.runtime.workers?.streamPollers.relay?.stats.sentToFailure).toBe(0);

    const status = (await app.call('GET', '/projections')).body.projections;
    const history2 = status.find((p: { name: string }) => p.name === 'orderHistory');
    expect(history2.failed).toBeGreaterThan(0);
  });

  it('moves a poison message to the dead-letter queue; the redrive command brings it back', async () => {
    const queueUrl = app.runtime.queueUrls?.queues.events as string;
    const dlqUrl = app.runtime.queueUrls?.deadLetters.events as string;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"not":"an event"}',
        MessageGroupId: 'poison',
        MessageDeduplicationId: 'poison-1',
      }),
    );
    // maxReceiveCount 5 with a 1 s visibility timeout: in the dead-letter queue within seconds.
    await waitFor(async () => ((await peek(dlqUrl)).length > 0 ? true : undefined));
    const loyalty = app.runtime.workers?.queuePollers.loyalty;
    const received = loyalty?.stats.received ?? 0;

    const result = await redriveDeadLetters({ client: sqs, sourceUrl: queueUrl });
    expect(result).toEqual({ method: 'by-hand', messages: 1 });
    // Back in the events queue, the consumer receives it again.
    await waitFor(async () => ((loyalty?.stats.received ?? 0) > received ? true : undefined));
  });
});
