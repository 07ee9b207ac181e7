/**
 * `POST /customers` with an `Idempotency-Key` when the first answer was lost: the client sends
 * the same request again, maybe while the first is still running, and must get the same answer
 * with one customer created. (Replays of other routes are in orders.int.spec.ts.)
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('idempotentCreate', { workers: false });
});
afterAll(() => app?.stop());

/** Every customer stream in this suite's database (a stream's first commit has `sk` 1). */
async function customerIds(): Promise<string[]> {
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  try {
    const out = await client.send(
      new ScanCommand({
        TableName: app.runtime.tableNames.journal,
        // Commits only: a key claimed for a client-chosen id is a note under the derived id.
        FilterExpression: 'begins_with(pk, :customer) AND sk = :first AND kind = :commit',
        ExpressionAttributeValues: {
          ':customer': { S: 'Customer#' },
          ':first': { N: '1' },
          ':commit': { S: 'commit' },
        },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((item) => (item.pk?.S ?? '').slice('Customer#'.length)).sort();
  } finally {
    client.destroy();
  }
}

const register = (body: object, key: string) =>
  app.call('POST', '/customers', body, { 'idempotency-key': key });

const same = (answer: Answer, first: Answer) => {
  expect(answer.status).toBe(first.status);
  expect(answer.body).toEqual(first.body);
  expect(answer.headers.get('etag')).toBe(first.headers.get('etag'));
};

describe('POST /customers with an Idempotency-Key, the first answer lost', () => {
  it('answers a repeat under a server-generated id with the same 201, creating one customer', async () => {
    const before = await customerIds();
    const body = { name: 'Noa', email: 'noa@example.com' };
    const lost = await register(body, 'signup-noa');
    expect(lost.status).toBe(201);
    const retried = await register(body, 'signup-noa');
    same(retried, lost);
    same(await register(body, 'signup-noa'), lost);
    const id = lost.body.customerId as string;
    expect(await customerIds()).toEqual([...before, id].sort());
    expect(await app.commits(`Customer#${id}`)).toBe(1);
    const read = await app.call('GET', `/customers/${id}`);
    expect(read.body).toEqual(lost.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('answers retries racing the first attempt alike, creating one customer', async () => {
    const before = await customerIds();
    const body = { name: 'Tiago', email: 'tiago@example.com' };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => register(body, 'signup-tiago')),
    );
    const [first] = answers as [Answer, ...Answer[]];
    expect(first.status).toBe(201);
    for (const answer of answers) same(answer, first);
    expect(await customerIds()).toEqual([...before, first.body.customerId].sort());
    expect(await app.commits(`Customer#${first.body.customerId}`)).toBe(1);
  });

  it('replays a create under a client-chosen id as 201, where a new request gets 409', async () => {
    const body = { customerId: 'cust-k1', name: 'Inês', email: 'ines@example.com' };
    const lost = await register(body, 'signup-ines');
    expect(lost.status).toBe(201);
    same(await register(body, 'signup-ines'), lost);
    const unkeyed = await app.call('POST', '/customers', body);
    expect(unkeyed.status).toBe(409);
    expect(unkeyed.body.code).toBe('customer-exists');
    const otherKey = await register(body, 'signup-ines-2');
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.code).toBe('customer-exists');
    expect(await app.commits('Customer#cust-k1')).toBe(1);
  });

  it('refuses the same key with another body (422) and creates nothing', async () => {
    const first = await register({ name: 'Rita', email: 'rita@example.com' }, 'signup-rita');
    expect(first.status).toBe(201);
    const before = await customerIds();
    const other = await register({ name: 'Rita M', email: 'rita@example.com' }, 'signup-rita');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
    const chosen = await register(
      { customerId: 'cust-k2', name: 'Rita', email: 'rita@example.com' },
      'signup-rita',
    );
    expect(chosen.status).toBe(422);
    // And the other way round: a key first used with a client-chosen id.
    const named = { customerId: 'cust-k3', name: 'Vera', email: 'vera@example.com' };
    expect((await register(named, 'signup-vera')).status).toBe(201);
    const unnamed = await register({ name: 'Vera', email: 'vera@example.com' }, 'signup-vera');
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.code).toBe('idempotency-key-reused');
    expect(await customerIds()).toEqual([...before, 'cust-k3'].sort());
    same(await register({ name: 'Rita', email: 'rita@example.com' }, 'signup-rita'), first);
  });
});
