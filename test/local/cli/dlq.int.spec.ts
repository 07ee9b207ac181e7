/**
 * `coffee-es dlq peek|redrive` against the local stack, with a real fault: the loyalty consumer's
 * journal writes are throttled (a fault proxy in front of DynamoDB) until the OrderPaid message
 * it cannot apply reaches the dead-letter queue. Peek shows it and leaves it there (twice, the
 * same); once the fault is gone, redrive moves it back and the consumer credits the points.
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueDepths, sqsClientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { type QueueCli, queueCli, waitFor } from './queueCli.ts';

let proxy: FaultProxy;
let app: App;
let sqs: SQSClient;
let cli: QueueCli;
beforeAll(async () => {
  // One attempt per SDK call (this file runs in a process of its own): the consumer fails at
  // once rather than after the SDK's throttling backoff.
  process.env.AWS_MAX_ATTEMPTS = '1';
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('cliDlq', { dynamoEndpoint: proxy.endpoint, visibilityTimeoutSeconds: 1 });
  sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
  cli = await queueCli(app.runtime, { dynamoEndpoint: dynamoEndpoint() });
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(async () => {
  sqs?.destroy();
  await cli?.close();
  await app?.stop();
  await proxy?.close();
});

const deadLetterUrl = () => app.runtime.queueUrls?.deadLetters.events as string;
/** What the dead-letter queue holds, looked at without hiding anything. */
const held = async () =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl(),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    )
  ).Messages ?? [];
const points = async () => (await app.call('GET', '/customers/c1')).body.points as number;

interface Peeked {
  queue: string;
  messages: {
    messageId: string;
    body: string;
    attributes: Record<string, string>;
    receiveCount: number;
    sentAt: string;
    groupId?: string;
  }[];
}

// Each CLI run is a Node process of its own, loading the app through tsx: seconds on a busy machine.
describe('coffee-es dlq', { timeout: 180_000 }, () => {
  it('refuses bad input with a clear message and exit code 2, naming the declared queues', async () => {
    const cases: [string[], RegExp][] = [
      [['dlq', 'peek', 'nope'], /Unknown queue: nope; queues: events/],
      [['dlq', 'peek'], /Which queue\?; queues: events/],
      [['dlq', 'peek', 'events', '--max', '0'], /--max must be a whole number/],
      [['dlq', 'peek', 'events', '--bogus'], /Unknown option: --bogus/],
      [['dlq', 'frob'], /Unknown dlq command: frob/],
      [
        ['dlq', 'redrive', 'nope'],
        /Usage: coffee-es dlq redrive \[events\][\s\S]*Unknown queue: nope/,
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli.run(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      expect(runs[i]?.code, args.join(' ')).toBe(2);
      expect(runs[i]?.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('peeks at a dead letter without taking it, and redrives it to be consumed', async () => {
    const stop = proxy.inject({ operation: 'TransactWriteItems', fault: 'throttle' });
    const placed = await app.call('POST', '/branches/b1/orders', {
      customerId: 'c1',
      items: [{ sku: 'beans', quantity: 1, unitPrice: 1_500 }],
    });
    const orderId = placed.body.orderId as string;
    await app.call('POST', `/orders/${orderId}/payment`, { amount: 1_500 });
    await waitFor(async () => (await held()).length === 1, 60, 'the dead letter');
    expect(proxy.injected()).toBeGreaterThan(0);
    expect(await points()).toBe(0);

    const first = await cli.run('dlq', 'peek', 'events', '--json');
    const second = await cli.run('dlq', 'peek', 'events', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const [a, b] = [JSON.parse(first.stdout) as Peeked, JSON.parse(second.stdout) as Peeked];
    expect(a.queue).toBe('events');
    expect(a.messages).toHaveLength(1);
    const message = a.messages[0];
    expect(JSON.parse(message?.body ?? '')).toMatchObject({
      type: 'OrderPaid',
      streamId: `Order#${orderId}`,
    });
    expect(message?.groupId).toBe(`Order#${orderId}`);
    expect(Date.now() - Date.parse(message?.sentAt ?? '')).toBeLessThan(120_000);
    expect(message?.receiveCount).toBeGreaterThanOrEqual(5);
    // The same message, one receive further on (the first peek's).
    expect(b.messages.map((m) => m.messageId)).toEqual([message?.messageId]);
    expect(b.messages[0]?.receiveCount).toBe((message?.receiveCount ?? 0) + 1);
    const text = await cli.run('dlq', 'peek', 'events', '--max', '5');
    expect(text.stdout).toContain('events: 1 dead letter(s) seen');
    expect(text.stdout).toContain(message?.messageId);
    // Still there, visible at once.
    expect((await held()).map((m) => m.MessageId)).toEqual([message?.messageId]);
    const queues = app.runtime.queueUrls?.queues ?? {};
    expect(await queueDepths(sqs, queues)).toEqual([
      expect.objectContaining({ queue: 'events', deadLetterUrl: deadLetterUrl(), deadLetters: 1 }),
    ]);

    stop();
    const redriven = await cli.run('dlq', 'redrive', 'events');
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toContain('events: moved 1 message(s) back');
    await waitFor(async () => (await points()) > 0, 60, 'the points');
    expect(await points()).toBe(15);
    expect(await held()).toEqual([]);
    // The consumer deletes the message after its effect is visible: wait for the delete too. With
    // a 1 s visibility timeout a slow consumer lets the message show again before it deletes it
    // (it is then received again and skipped as a duplicate), so wait for nothing visible either.
    const drained = async () => {
      const [depth] = await queueDepths(sqs, queues);
      return depth?.inFlight === 0 && depth.messages === 0;
    };
    await waitFor(drained, 30, 'the redriven message deleted');
    expect(await points()).toBe(15);
    expect(await queueDepths(sqs, queues)).toEqual([
      expect.objectContaining({ queue: 'events', messages: 0, inFlight: 0, deadLetters: 0 }),
    ]);
    const after = JSON.parse((await cli.run('dlq', 'peek', 'events', '--json')).stdout) as Peeked;
    expect(after.messages).toEqual([]);
  });
});
