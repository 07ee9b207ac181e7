/**
 * What the console specs share: the app on the local runtime with a 1 s visibility timeout (a
 * poison message is dead-lettered within seconds), an order, and small probes.
 */
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Commit } from '@coffee-es/core';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor, sqsClientFor } from '@coffee-es/local';
import { type App, startApp } from '../../support/appServer.ts';

export async function waitFor<T>(probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The app with a branch, a customer and one order: placed, paid, part refunded. */
export async function consoleApp(suite: string): Promise<{ app: App; orderId: string }> {
  const app = await startApp(suite, { visibilityTimeoutSeconds: 1, console: true });
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'c1', name: 'Ana', email: 'a@x.io' });
  const placed = await app.call('POST', '/branches/b1/orders', {
    customerId: 'c1',
    items: [{ sku: 'beans', quantity: 2, unitPrice: 350 }],
  });
  const orderId = placed.body.orderId as string;
  await app.call('POST', `/orders/${orderId}/payment`, { amount: 700 });
  await app.call('POST', `/orders/${orderId}/refunds`, { amount: 100, reason: 'cold' });
  await app.settle();
  return { app, orderId };
}

/** Sends a message the loyalty consumer fails on: after five receives, a dead letter. */
export async function sendPoison(app: App, id: string): Promise<void> {
  const sqs = sqsClientFor(app.runtime.sqsEndpoint as string);
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: app.runtime.queueUrls?.queues.events,
        MessageBody: '{"not":"an event"}',
        MessageGroupId: 'poison',
        MessageDeduplicationId: id,
      }),
    );
  } finally {
    sqs.destroy();
  }
}

/** Commits and durable-state records in the journal: what the write meter counts. */
export async function journalWrites(app: App): Promise<number> {
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  try {
    do {
      const out = await client.send(
        new ScanCommand({
          TableName: app.runtime.tableNames.journal,
          FilterExpression: 'kind IN (:commit, :state)',
          ExpressionAttributeValues: { ':commit': { S: 'commit' }, ':state': { S: 'state' } },
          Select: 'COUNT',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return count;
}

/** Writes commits into the journal as an older version of the app (or a long history) left them. */
export async function writeCommits(app: App, commits: readonly Commit[]): Promise<void> {
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  try {
    await writeCommitsInBatches(client, app.runtime.tableNames.journal as string, commits);
  } finally {
    client.destroy();
  }
}

/** A customer registered, then given a point `points` times, a commit each (CustomerPointsAdded v1). */
export function customerHistory(customerId: string, points: number): Commit[] {
  const commit = (position: number, event: Commit['events'][number]): Commit => ({
    streamId: `Customer#${customerId}`,
    entityType: 'Customer',
    from: position,
    to: position,
    events: [event],
    recordedAt: '2019-05-01T10:00:00.000Z',
    commandId: `seed-${position}`,
  });
  const registered = {
    type: 'CustomerRegistered',
    schemaVersion: 1,
    data: { customerId, name: 'Olga', email: 'o@x.io', registeredAt: '2019-05-01' },
  };
  return [
    commit(1, registered),
    ...Array.from({ length: points }, (_, i) =>
      commit(i + 2, {
        type: 'CustomerPointsAdded',
        schemaVersion: 1,
        data: { customerId, points: 1 },
      }),
    ),
  ];
}
