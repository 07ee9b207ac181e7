/**
 * Property-based fuzzing of every route, with the cases generated from the app's own OpenAPI
 * document (GET /openapi.json): whatever comes in, the answer is a contract answer, never a 5xx,
 * and input that is rejected writes nothing (writes counted on the wire by the fault proxy).
 * FUZZ_RUNS sets the cases per route (default 100; `npm run fuzz` runs 1,000).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { fuzzRequest, type Operation, operationsOf } from '../../support/openApiFuzz.ts';
import { rawRequest } from '../../support/rawHttp.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 100);
const writes = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
/** What the contract may answer to a request no client should send (auth is off here). */
const contract4xx = new Set([400, 404, 405, 409, 412, 413, 415, 422]);

let proxy: FaultProxy;
let app: App;
let operations: Operation[];
const real: string[] = ['fz-b', 'fz-c', 'fz-s'];
const figures: { route: string; cases: number; rejected: number; max: number }[] = [];

beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('routeFuzz', { dynamoEndpoint: proxy.endpoint, workers: false });
  await app.call('PUT', '/branches/fz-b', { name: 'Fuzz', city: 'Lisbon' });
  await app.call('POST', '/customers', { customerId: 'fz-c', name: 'Ana', email: 'a@b.io' });
  await app.call('PUT', '/branches/fz-b/slots/fz-s', {
    startsAt: '2030-01-01T08:00:00Z',
    capacity: 100,
  });
  const order = await app.call('POST', '/branches/fz-b/orders', {
    customerId: 'fz-c',
    items: [{ sku: 'latte', quantity: 1, unitPrice: 300 }],
  });
  const reservation = await app.call('POST', '/branches/fz-b/slots/fz-s/reservations', {
    quantity: 1,
  });
  real.push(order.body.orderId, reservation.body.reservationId);
  operations = operationsOf((await app.call('GET', '/openapi.json')).body);
});
afterAll(async () => {
  if (figures.length > 0) {
    const cases = figures.reduce((sum, f) => sum + f.cases, 0);
    console.info(
      `route fuzz: ${figures.length} routes, ${cases} cases, ${figures.reduce((s, f) => s + f.rejected, 0)} rejected, highest status ${Math.max(...figures.map((f) => f.max))}`,
    );
  }
  await app?.stop();
  await proxy?.close();
});

describe('fuzzing every route from the OpenAPI document', () => {
  it('the document lists the routes the app serves', () => {
    expect(operations.length).toBe(system.routes.length);
  });

  it.each(system.routes.map((r) => [`${r.method} ${r.path}`, r.operationId] as const))(
    '%s: never a 5xx, rejected input writes nothing',
    async (_name, operationId) => {
      const op = operations.find((o) => o.operationId === operationId);
      expect(op, operationId).toBeDefined();
      if (!op) return;
      const figure = { route: `${op.method} ${op.path}`, cases: 0, rejected: 0, max: 0 };
      figures.push(figure);
      await fc.assert(
        fc.asyncProperty(fuzzRequest(op, real), async (request) => {
          let answer: Awaited<ReturnType<typeof rawRequest>> | undefined;
          const calls = await proxy.during(async () => {
            answer = await rawRequest(app.url, request);
          });
          if (!answer) throw new Error('no answer');
          figure.cases++;
          figure.max = Math.max(figure.max, answer.status);
          const context = `${request.method} ${request.path} → ${answer.status} ${answer.text.slice(0, 300)}`;
          expect(answer.status, context).toBeLessThan(500);
          if (answer.status < 400) return;
          figure.rejected++;
          expect(contract4xx.has(answer.status), context).toBe(true);
          expect(answer.headers['content-type'], context).toBe('application/problem+json');
          const problem = JSON.parse(answer.text) as { code?: unknown; status?: unknown };
          expect(typeof problem.code, context).toBe('string');
          expect(problem.status, context).toBe(answer.status);
          const written = calls.filter((c) => writes.has(c.operation));
          expect(
            written.map((c) => c.operation),
            context,
          ).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
  );
});
