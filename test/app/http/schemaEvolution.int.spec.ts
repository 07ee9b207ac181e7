/**
 * Old and unknown events in a customer's stream, seen through HTTP. `CustomerPointsAdded` v1
 * (`{customerId, points}`) is stored as it was written and read back as v2, with the Bronze tier
 * by default; an event this code does not know answers a bare 500 and is logged with its stream
 * and position.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Commit, StoredEvent } from '@coffee-es/core';
import { writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Answer, type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  // ERROR, to see what a 500 logs; no workers: only the HTTP handler reads these streams here.
  app = await startApp('schemaEvolution', { logLevel: 'ERROR', workers: false });
});
afterAll(() => app?.stop());

const registered = (customerId: string): StoredEvent => ({
  type: 'CustomerRegistered',
  schemaVersion: 1,
  data: {
    customerId,
    name: 'Olga',
    email: 'olga@example.com',
    registeredAt: '2019-05-01T09:00:00Z',
  },
});

/** Writes commits as an older (or another) version of the app left them: one event each. */
async function seed(customerId: string, events: readonly StoredEvent[]): Promise<void> {
  const commits: Commit[] = events.map((event, i) => ({
    streamId: `Customer#${customerId}`,
    entityType: 'Customer',
    from: i + 1,
    to: i + 1,
    events: [event],
    recordedAt: `2019-05-0${i + 1}T10:00:00.000Z`,
    commandId: `seed-${i + 1}`,
  }));
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  try {
    await writeCommitsInBatches(client, app.runtime.tableNames.journal as string, commits);
  } finally {
    client.destroy();
  }
}

/** The events attribute of one stored commit, as it is in the table. */
async function storedEvents(streamId: string, position: number): Promise<unknown> {
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  try {
    const out = await client.send(
      new GetItemCommand({
        TableName: app.runtime.tableNames.journal,
        Key: { pk: { S: streamId }, sk: { N: String(position) } },
        ConsistentRead: true,
      }),
    );
    return JSON.parse(out.Item?.ev?.S ?? 'null');
  } finally {
    client.destroy();
  }
}

/** Calls the app and returns the answer with every log line the handler wrote meanwhile. */
async function logged(work: () => Promise<Answer>): Promise<{ answer: Answer; logs: string[] }> {
  const logs: string[] = [];
  const capture = (chunk: unknown) => {
    logs.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return { answer: await work(), logs };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const internalError = {
  type: '/problems/internal-error',
  title: 'Internal Server Error',
  status: 500,
  detail: 'Something went wrong on our side',
  code: 'internal-error',
};

describe('CustomerPointsAdded v1 in a stored stream', () => {
  beforeAll(() =>
    seed('legacy-1', [
      registered('legacy-1'),
      {
        type: 'CustomerPointsAdded',
        schemaVersion: 1,
        data: { customerId: 'legacy-1', points: 120 },
      },
      {
        type: 'CustomerPointsAdded',
        schemaVersion: 1,
        data: { customerId: 'legacy-1', points: 30 },
      },
    ]),
  );

  it('is served by the audit trail as v2 with loyaltyTier Bronze, and stays v1 in the table', async () => {
    const trail = await app.call('GET', '/customers/legacy-1/events');
    expect(trail.status).toBe(200);
    expect(trail.body.events).toEqual([
      {
        position: 1,
        type: 'CustomerRegistered',
        schemaVersion: 1,
        data: registered('legacy-1').data,
        recordedAt: '2019-05-01T10:00:00.000Z',
      },
      {
        position: 2,
        type: 'CustomerPointsAdded',
        schemaVersion: 2,
        data: { customerId: 'legacy-1', points: 120, loyaltyTier: 'Bronze' },
        recordedAt: '2019-05-02T10:00:00.000Z',
      },
      {
        position: 3,
        type: 'CustomerPointsAdded',
        schemaVersion: 2,
        data: { customerId: 'legacy-1', points: 30, loyaltyTier: 'Bronze' },
        recordedAt: '2019-05-03T10:00:00.000Z',
      },
    ]);
    // Upcasting happens on read: what was written stays as it was written.
    expect(await storedEvents('Customer#legacy-1', 2)).toEqual([
      { t: 'CustomerPointsAdded', v: 1, d: { customerId: 'legacy-1', points: 120 } },
    ]);
  });

  it('counts in the customer view, and later commands build on it', async () => {
    const view = await app.call('GET', '/customers/legacy-1');
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      customerId: 'legacy-1',
      name: 'Olga',
      email: 'olga@example.com',
      points: 150,
      lifetimePoints: 150,
      tier: 'bronze',
      orderCount: 0,
      version: 3,
    });
    const redeemed = await app.call('POST', '/customers/legacy-1/redemptions', { points: 100 });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ points: 50, lifetimePoints: 150, version: 4 });
    const page = await app.call('GET', '/customers/legacy-1/events?after=2&limit=5');
    expect(page.body.events.map((e: { position: number; type: string }) => e.type)).toEqual([
      'CustomerPointsAdded',
      'PointsRedeemed',
    ]);
  });
});

describe('an event this code does not know', () => {
  beforeAll(() =>
    seed('odd-1', [
      registered('odd-1'),
      { type: 'CustomerMovedAbroad', schemaVersion: 1, data: { customerId: 'odd-1', to: 'NZ' } },
    ]),
  );

  it('answers GET /customers/{id} with a bare 500 and logs the stream and position', async () => {
    const { answer, logs } = await logged(() => app.call('GET', '/customers/odd-1'));
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toEqual(internalError);
    const text = JSON.stringify(answer.body);
    for (const internal of [
      'odd-1',
      'CustomerMovedAbroad',
      'position',
      'stack',
      'UnknownEvent',
      'unknown',
    ]) {
      expect(text).not.toContain(internal);
    }
    const errors = logs
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level?: string })
      .filter((entry) => entry.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('Customer#odd-1 at position 2');
    expect(JSON.stringify(errors[0])).toContain('CustomerMovedAbroad');
  });

  it('answers the audit trail and commands with the same 500, writing nothing', async () => {
    const { answer: trail } = await logged(() => app.call('GET', '/customers/odd-1/events'));
    expect(trail.status).toBe(500);
    expect(trail.body).toEqual(internalError);
    const { answer: redeem } = await logged(() =>
      app.call('POST', '/customers/odd-1/redemptions', { points: 1 }),
    );
    expect(redeem.status).toBe(500);
    expect(redeem.body).toEqual(internalError);
    expect(await app.commits('Customer#odd-1')).toBe(2);
  });

  it('treats a schema version newer than the code the same way', async () => {
    await seed('future-1', [
      registered('future-1'),
      {
        type: 'CustomerPointsAdded',
        schemaVersion: 3,
        data: { customerId: 'future-1', points: 5, loyaltyTier: 'Bronze', channel: 'app' },
      },
    ]);
    const { answer, logs } = await logged(() => app.call('GET', '/customers/future-1'));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual(internalError);
    expect(logs.join('')).toContain('Customer#future-1 at position 2');
  });
});
