/**
 * What a keyed command costs, counted on the wire by a recording proxy in front of DynamoDB: a
 * keyed payment on a warm order and a keyed order placement for a known customer on a warm
 * container are 0 reads + 1 write; a repeat of either writes nothing and answers the same. A
 * keyed refusal is replayed from the note it left, also once the state has moved on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type App, startApp } from '../../support/appServer.ts';
import {
  type DynamoCall,
  type DynamoRecorder,
  startDynamoRecorder,
} from '../../support/dynamoRecorder.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let recorder: DynamoRecorder;
let app: App;
beforeAll(async () => {
  recorder = await startDynamoRecorder(dynamoEndpoint());
  app = await startApp('keyedBudget', { dynamoEndpoint: recorder.endpoint, workers: false });
  expect((await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' })).status).toBe(
    201,
  );
  const ana = { customerId: 'ana', name: 'Ana', email: 'ana@example.com' };
  expect((await app.call('POST', '/customers', ana)).status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await recorder?.close();
});

const reads = (calls: DynamoCall[]) =>
  calls.filter((c) => ['GetItem', 'Query', 'Scan', 'BatchGetItem'].includes(c.operation));
const writes = (calls: DynamoCall[]) =>
  calls.filter((c) =>
    ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'].includes(c.operation),
  );

async function measured(work: () => Promise<Answer>) {
  let answer: Answer | undefined;
  const calls = await recorder.during(async () => {
    answer = await work();
  });
  if (!answer) throw new Error('no answer');
  return { answer, reads: reads(calls).length, writes: writes(calls).length };
}

const items = [{ sku: 'latte', quantity: 2, unitPrice: 350 }];
const place = (key: string) =>
  app.call('POST', '/branches/b1/orders', { customerId: 'ana', items }, { 'idempotency-key': key });
const pay = (orderId: string, key: string, amount = 700) =>
  app.call('POST', `/orders/${orderId}/payment`, { amount }, { 'idempotency-key': key });

const same = (a: Answer, b: Answer) => {
  expect(a.status).toBe(b.status);
  expect(a.body).toEqual(b.body);
  expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
};

describe('keyed commands on the wire', () => {
  it('places a keyed order for a known customer with 0 reads + 1 write; a repeat writes nothing', async () => {
    expect((await place('warm-up')).status).toBe(201); // the container learns b1 and ana exist
    const first = await measured(() => place('place-1'));
    expect(first.answer.status).toBe(201);
    expect(first).toMatchObject({ reads: 0, writes: 1 });
    const repeat = await measured(() => place('place-1'));
    same(repeat.answer, first.answer);
    expect(repeat.writes).toBe(0);
    expect(await app.commits(`Order#${first.answer.body.orderId}`)).toBe(1);
  });

  it('pays a warm order with a key for 0 reads + 1 write; a repeat writes nothing', async () => {
    const placed = await place('place-2');
    const orderId = placed.body.orderId as string;
    const paid = await measured(() => pay(orderId, 'pay-2'));
    expect(paid.answer.status).toBe(200);
    expect(paid.answer.body.status).toBe('paid');
    expect(paid).toMatchObject({ reads: 0, writes: 1 });
    const repeat = await measured(() => pay(orderId, 'pay-2'));
    same(repeat.answer, paid.answer);
    expect(repeat.writes).toBe(0);
    expect(await app.commits(`Order#${orderId}`)).toBe(2);
  });

  it('replays a keyed refusal after the state moved on, with no write, in any order', async () => {
    const orderId = (await place('place-3')).body.orderId as string;
    const refused = await pay(orderId, 'pay-3-wrong', 1);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('amount-mismatch');
    // The right payment takes the position the refusal's note held, carrying it forward.
    expect((await pay(orderId, 'pay-3')).status).toBe(200);
    const again = await measured(() => pay(orderId, 'pay-3-wrong', 1));
    same(again.answer, refused);
    expect(again.writes).toBe(0);
    const reused = await pay(orderId, 'pay-3-wrong', 2);
    expect(reused.status).toBe(422);
    expect(await app.commits(`Order#${orderId}`)).toBe(2);
  });

  it('replays a 404 for an unknown branch once the branch exists (the note at the derived id)', async () => {
    const key = { 'idempotency-key': 'place-b2' };
    const body = { customerId: 'ana', items };
    const missing = await app.call('POST', '/branches/b2/orders', body, key);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('branch-not-found');
    expect((await app.call('PUT', '/branches/b2', { name: 'Porto', city: 'Porto' })).status).toBe(
      201,
    );
    same(await app.call('POST', '/branches/b2/orders', body, key), missing);
    const fresh = await app.call('POST', '/branches/b2/orders', body, {
      'idempotency-key': 'p-b2',
    });
    expect(fresh.status).toBe(201);
  });
});
