/**
 * Malformed URLs and bodies are the client's mistake: every malformed percent-escape in a path or
 * a query answers 400 `validation-failed` on every route, and a JSON body that is not an object
 * where one is expected answers 400, through the local server and through the Lambda handler.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHttpHandler, routeKeyOf } from '@coffee-es/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/app/config.ts';
import { createDeps } from '../../../functions/app/deps.ts';
import { system } from '../../../functions/app/system.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { lambdaContext, lambdaEvent } from '../../support/lambdaEvent.ts';

let app: App;
let orderId: string;
beforeAll(async () => {
  app = await startApp('malformed', { workers: false });
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
  const placed = await app.call('POST', '/branches/b1/orders', {
    items: [{ sku: 'latte', quantity: 1, unitPrice: 350 }],
  });
  orderId = placed.body.orderId;
});
afterAll(() => app?.stop());

const badEscapes = ['a%', '%ZZ', '%E0%A4%A', '%', 'x%2', '%C3%28'];
const bodyOf = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : '{}');

/** Every route, with each path parameter (or, for routes without one, the query) malformed. */
const cases = system.routes.flatMap((route) =>
  badEscapes.map((bad) => {
    const hasParams = route.path.includes('{');
    const path = route.path.replaceAll(/\{\w+\}/g, bad);
    return { route, path: hasParams ? path : `${path}?q=${bad}`, bad };
  }),
);

describe('malformed percent-escapes, through the local server', () => {
  it.each(cases.map((c) => [`${c.route.method} ${c.path}`, c] as const))(
    '%s answers 400 validation-failed',
    async (_name, { route, path }) => {
      const body = bodyOf(route.method);
      const answer =
        body === undefined
          ? await app.call(route.method, path)
          : await app.raw(route.method, path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('validation-failed');
    },
  );

  it('a bad escape in the query of a route that reads one answers 400', async () => {
    const answer = await app.call('GET', `/orders/${orderId}/events?after=%E0%A4%A`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation-failed');
  });
});

describe('malformed percent-escapes, through the Lambda handler', () => {
  const handler = createHttpHandler({
    routes: system.routes,
    deps: () => createDeps(loadConfig(app.runtime.environment)),
    logger: new Logger({ logLevel: 'SILENT' }),
  });

  it.each(cases.map((c) => [`${c.route.method} ${c.path}`, c] as const))(
    '%s answers 400 validation-failed',
    async (_name, { route, path, bad }) => {
      const [rawPath = '', rawQueryString = ''] = path.split('?');
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name ?? '');
      const body = bodyOf(route.method);
      const response = await handler(
        lambdaEvent({
          routeKey: routeKeyOf(route),
          method: route.method,
          rawPath,
          rawQueryString,
          // What a gateway that cannot decode the escape passes on: the segment as sent.
          ...(names.length > 0
            ? { pathParameters: Object.fromEntries(names.map((n) => [n, bad])) }
            : { queryStringParameters: { q: bad } }),
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body }),
        }),
        lambdaContext(),
      );
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body ?? '{}').code).toBe('validation-failed');
    },
  );
});

describe('bodies that are not objects', () => {
  const notObjects = ['null', '[]', '5', '"text"', 'true'];
  const transitions = ['ready', 'collection', 'cancellation', 'payment', 'refunds'];

  it.each(transitions)(
    'POST /orders/{id}/%s answers 400 to each, and the order stays put',
    async (name) => {
      for (const body of notObjects) {
        const answer = await app.raw('POST', `/orders/${orderId}/${name}`, body);
        expect(answer.status, `${name} ${body}`).toBe(400);
        expect(answer.body.code).toBe('validation-failed');
      }
      expect((await app.call('GET', `/orders/${orderId}`)).body).toMatchObject({
        status: 'placed',
        version: 1,
      });
    },
  );

  it('PUT /branches/{id} answers 400 to a null body and writes nothing', async () => {
    const answer = await app.raw('PUT', '/branches/nullbody', 'null');
    expect(answer.status).toBe(400);
    expect((await app.call('GET', '/branches/nullbody')).status).toBe(404);
  });
});
