/**
 * Longer than 250 lines because its three cases share one runtime (no failure sweep) behind one
 * fault proxy; a file per case would start them again.
 *
 * `coffee-es failures list|redrive` against the local stack, with a real fault: the projector's
 * writes to the read models are throttled (a fault proxy in front of DynamoDB) until it sets its
 * records aside in its failure queue. The list names each notice's stream and position and
 * leaves it there; the redrive re-runs the projector on those commits read from the journal,
 * after which the read models are right and the queue is empty, even when a SIGTERM cut the
 * first run short. The runtime here has no failure sweep, so that only the CLI repairs.
 */
import { resolve } from 'node:path';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor, type LocalRuntime, sqsClientFor, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { type QueueCli, queueCli, waitFor } from './queueCli.ts';

const orders = 6;
let proxy: FaultProxy;
let runtime: LocalRuntime;
let cli: QueueCli;
beforeAll(async () => {
  // One attempt per SDK call (this file runs in a process of its own): set aside in well under
  // a second rather than after the SDK's throttling backoff.
  process.env.AWS_MAX_ATTEMPTS = '1';
  proxy = await startFaultProxy(dynamoEndpoint());
  const declared = system.streamConsumers.projector;
  if (!declared) throw new Error('the app has no projector');
  const { sweepFailuresEverySeconds: _sweep, ...projector } = declared;
  runtime = await startLocalRuntime({
    system: { ...system, streamConsumers: { ...system.streamConsumers, projector } } as never,
    root: resolve(import.meta.dirname, '../../..'),
    port: 0,
    dynamoEndpoint: proxy.endpoint,
    accessKeyId: `cliFailures${Math.random().toString(36).slice(2, 8)}`,
    logLevel: 'SILENT',
  });
  cli = await queueCli(runtime, { dynamoEndpoint: dynamoEndpoint() });
  await call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
});
afterAll(async () => {
  await cli?.close();
  await runtime?.stop();
  await proxy?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: specs read answers loosely, asserting each field.
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}
const settle = () => runtime.workers?.settle() as Promise<void>;
const projector = () =>
  runtime.workers?.streamPollers.projector as { stats: { sentToFailure: number } };
const statuses = async () =>
  Object.fromEntries(
    (
      (await call('GET', '/customers/c1/orders')).orders as { orderId: string; status: string }[]
    ).map((o) => [o.orderId, o.status]),
  );
const today = () => new Date().toISOString().slice(0, 10);

interface Listed {
  consumer: string;
  notices: {
    messageId: string;
    sentAt: string;
    source: string;
    reason: string;
    items: { streamId: string; from: number; to: number; kind: string }[];
  }[];
}
const list = async (consumer = 'projector') => {
  const run = await cli.run('failures', 'list', consumer, '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Listed;
};

// Each CLI run is a Node process of its own, loading the app through tsx: seconds on a busy machine.
describe('coffee-es failures', { timeout: 240_000 }, () => {
  it('refuses bad input with exit code 2, naming the known consumers', async () => {
    const cases: [string[], RegExp][] = [
      [['failures', 'list', 'nope'], /Unknown consumer: nope; consumers: projector, relay/],
      [['failures', 'redrive'], /Which consumer\?; consumers: projector, relay/],
      [['failures', 'list', 'projector', '--max', 'x'], /--max must be a whole number/],
      [['failures', 'redrive', 'projector', '--max', '3'], /Unknown option: --max/],
      [['failures', 'mend', 'projector'], /Unknown failures command: mend/],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli.run(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      expect(runs[i]?.code, args.join(' ')).toBe(2);
      expect(runs[i]?.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('lists what the projector set aside, and redrives it from the journal through a SIGTERM', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= orders; i++) {
      const placed = await call('POST', '/branches/b1/orders', {
        customerId: 'c1',
        items: [{ sku: 'beans', quantity: 1, unitPrice: 100 * i }],
      });
      ids.push(placed.orderId as string);
    }
    await settle();

    const stop = proxy.inject({
      operation: /^(PutItem|UpdateItem|TransactWriteItems|BatchWriteItem)$/,
      resource: runtime.tableNames.readModels as string,
      fault: 'throttle',
    });
    for (const [i, id] of ids.entries()) {
      const before = projector().stats.sentToFailure;
      await call('POST', `/orders/${id}/payment`, { amount: 100 * (i + 1) });
      await waitFor(() => projector().stats.sentToFailure > before, 60, 'the set-aside payment');
    }
    stop();
    await settle();
    expect(Object.values(await statuses())).toEqual(ids.map(() => 'placed'));

    const first = await list();
    const second = await list();
    expect(first.notices).toHaveLength(orders);
    expect(second.notices.map((n) => n.messageId).sort()).toEqual(
      first.notices.map((n) => n.messageId).sort(),
    );
    const named = first.notices.flatMap((n) => n.items.map((i) => `${i.streamId}@${i.from}`));
    expect(named.sort()).toEqual(ids.map((id) => `Order#${id}@2`).sort());
    for (const n of first.notices) {
      expect(n.source).toBe('stream');
      expect(n.reason).toMatch(/^RetryAttemptsExhausted after 6 attempt\(s\): \S/);
      expect(Date.now() - Date.parse(n.sentAt)).toBeLessThan(300_000);
    }
    const text = await cli.run('failures', 'list', 'projector');
    expect(text.stdout).toContain(`projector: ${orders} failure notice(s)`);
    expect(text.stdout).toContain(`Order#${ids[0]}@2`);

    // Cut short by SIGTERM once it has taken one notice: it finishes the one it is on.
    const cut = cli.spawn('failures', 'redrive', 'projector');
    await waitFor(() => /: taken/.test(cut.output()), 120, 'the first notice taken');
    cut.child.kill('SIGTERM');
    const stopped = await cut.done;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stdout).toMatch(/interrupted: run it again/);
    const left = (await list()).notices.length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(orders);

    const rerun = await cli.run('failures', 'redrive', 'projector');
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect(rerun.stdout).toContain(
      `projector: ${left} notice(s) redriven from the journal, 0 kept`,
    );
    expect((await list()).notices).toEqual([]);
    expect(await statuses()).toEqual(Object.fromEntries(ids.map((id) => [id, 'paid'])));
    // Each payment counted once, the one redriven when the signal came included.
    const sales = await call('GET', `/branches/b1/sales?date=${today()}`);
    expect(sales).toMatchObject({
      paidOrders: orders,
      revenue: 100 * ((orders * (orders + 1)) / 2),
    });
  });

  it('redrives a notice whose records the stream no longer holds from the commits of its window', async () => {
    const sqs = sqsClientFor(runtime.sqsEndpoint as string);
    const queueUrl = runtime.queueUrls?.failures.projector as string;
    const placed = await call('POST', '/branches/b1/orders', {
      customerId: 'c1',
      items: [{ sku: 'cake', quantity: 1, unitPrice: 700 }],
    });
    await settle();
    const before = await call('GET', `/branches/b1/sales?date=${today()}`);
    const stop = proxy.inject({
      operation: /^(PutItem|UpdateItem|TransactWriteItems|BatchWriteItem)$/,
      resource: runtime.tableNames.readModels as string,
      fault: 'throttle',
    });
    const setAside = projector().stats.sentToFailure;
    await call('POST', `/orders/${placed.orderId}/payment`, { amount: 700 });
    await waitFor(() => projector().stats.sentToFailure > setAside, 60, 'the set-aside payment');
    stop();
    await settle();
    // The notice as it reads once the stream has trimmed its records (after 24 hours on AWS):
    // sequence numbers the stream does not hold (DynamoDB Local trims nothing: past its end
    // here), the arrival times as they were.
    const [notice] =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 30 })))
        .Messages ?? [];
    const body = JSON.parse(notice?.Body ?? '{}');
    Object.assign(body.DDBStreamBatchInfo, {
      startSequenceNumber: '900000000000000000000001',
      endSequenceNumber: '900000000000000000000002',
    });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }),
    );
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: notice?.ReceiptHandle }),
    );

    const [listed] = (await list()).notices;
    expect(listed?.items).toEqual([]);
    const window = (listed as { window?: { from: string; to: string } }).window ?? {
      from: '',
      to: '',
    };
    expect(Date.parse(window.from)).toBeLessThan(Date.now() - 60_000);
    expect(Date.parse(window.to)).toBeGreaterThan(Date.now());
    expect((await cli.run('failures', 'list', 'projector')).stdout).toContain(
      'the commits recorded',
    );
    expect((await statuses())[placed.orderId]).toBe('placed');

    const redriven = await cli.run('failures', 'redrive', 'projector', '--json');
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(JSON.parse(redriven.stdout).redriven).toHaveLength(1);
    expect((await list()).notices).toEqual([]);
    expect((await statuses())[placed.orderId]).toBe('paid');
    // Every commit of the window applied again, each counted once.
    const sales = await call('GET', `/branches/b1/sales?date=${today()}`);
    expect(sales).toMatchObject({
      paidOrders: before.paidOrders + 1,
      revenue: before.revenue + 700,
    });
    sqs.destroy();
  });

  it('keeps what the consumer sets aside again, and says so: a commit the relay cannot read', async () => {
    const env = runtime.environment;
    const dynamo = clientFor(dynamoEndpoint(), env.AWS_ACCESS_KEY_ID as string, env.AWS_REGION);
    const sqs = sqsClientFor(runtime.sqsEndpoint as string);
    // An event type this code does not know, as a bad deploy might write.
    await writeCommitsInBatches(dynamo, runtime.tableNames.journal as string, [
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
    const relayNotices = async () =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: runtime.queueUrls?.failures.relay as string,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
          }),
        )
      ).Messages ?? [];
    await waitFor(async () => (await relayNotices()).length === 1, 60, 'the relay notice');

    const [listed] = (await list('relay')).notices;
    expect(listed).toMatchObject({
      source: 'relay',
      items: [{ streamId: 'Order#poison', from: 1, to: 1, kind: 'commit' }],
    });
    expect(listed?.reason).toMatch(/^Unsendable: .*OrderTeleported/);

    const redriven = await cli.run('failures', 'redrive', 'relay');
    expect(redriven.code, redriven.stderr).toBe(1);
    expect(redriven.stdout).toMatch(/relay: 1 notice\(s\) redriven from the journal, 0 kept/);
    expect(redriven.stdout).toMatch(/set aside again: .*Order#poison@1/);
    const after = (await list('relay')).notices;
    expect(after.map((n) => n.items)).toEqual([
      [expect.objectContaining({ streamId: 'Order#poison' })],
    ]);
    expect(after[0]?.messageId).not.toBe(listed?.messageId);
    dynamo.destroy();
    sqs.destroy();
  });
});
