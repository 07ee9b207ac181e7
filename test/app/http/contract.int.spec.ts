/**
 * Contract fidelity of the HTTP edge, on the local server in its open (development) mode: the
 * OpenAPI document passes Redocly's recommended rules and describes what is really served
 * (bodies, ETag, Cache-Control, the ids in paths); If-Match compares strongly (RFC 9110).
 */

import { matchPath } from '@coffee-es/aws-lambda';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type Answer, type App, startApp } from '../../support/appServer.ts';

let app: App;
// biome-ignore lint/suspicious/noExplicitAny: the document is read loosely, field by field.
let document: any;
beforeAll(async () => {
  app = await startApp('contract');
  document = (await app.call('GET', '/openapi.json')).body;
});
afterAll(() => app?.stop());

/** The answer is what the route's document entry says: its body, ETag and Cache-Control. */
function expectDocumented(method: string, target: string, answer: Answer) {
  const path = target.split('?')[0] as string;
  const route = system.routes.find((r) => r.method === method && matchPath(r.path, path));
  if (!route) throw new Error(`no route for ${method} ${path}`);
  expect(answer.status, `${method} ${path}`).toBeLessThan(300);
  // Zod strips keys it does not know: equal after parsing means nothing undocumented was sent.
  const parsed = route.returns?.safeParse(answer.body);
  expect(parsed?.success, `${method} ${path}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
  expect(parsed?.data).toEqual(answer.body);
  const documented = document.paths[route.path][method.toLowerCase()].responses[answer.status];
  expect(documented, `${method} ${path} ${answer.status}`).toBeDefined();
  expect(answer.headers.has('etag')).toBe(documented.headers?.ETag !== undefined);
  if (answer.headers.has('etag')) expect(answer.headers.get('etag')).toMatch(/^"\d+"$/);
  const cache = documented.headers?.['Cache-Control'] ? 'no-store' : null;
  expect(answer.headers.get('cache-control'), `${method} ${path}`).toBe(cache);
  // Every id the path carries fits the pattern the document gives for it.
  for (const [name, value] of Object.entries(matchPath(route.path, path) ?? {})) {
    const parameter = documented && pathParameter(route.path, method, name);
    expect(
      fits(parameter.schema, value),
      `${name}=${value} fits ${JSON.stringify(parameter)}`,
    ).toBe(true);
  }
}

function pathParameter(path: string, method: string, name: string) {
  const parameters: { name: string; in: string; schema: Record<string, unknown> }[] =
    document.paths[path][method.toLowerCase()].parameters;
  return parameters.find((p) => p.in === 'path' && p.name === name) ?? { schema: {} };
}

function fits(schema: Record<string, unknown>, value: string): boolean {
  const { pattern, minLength, maxLength } = schema as Record<string, string & number>;
  return (
    (pattern === undefined || new RegExp(pattern, 'u').test(value)) &&
    (minLength === undefined || value.length >= minLength) &&
    (maxLength === undefined || value.length <= maxLength)
  );
}

async function served(method: string, path: string, body?: unknown, headers = {}) {
  const answer = await app.call(method, path, body, headers);
  expectDocumented(method, path, answer);
  return answer;
}

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('declares who may call each route: a bearer JWT with its scopes, none for public ones', () => {
    expect(document.components.securitySchemes.bearerJwt).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const route of system.routes) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const scopes = route.access.kind === 'public' ? undefined : [...route.access.scopes];
      expect(operation.security).toEqual(scopes ? [{ bearerJwt: scopes }] : []);
      if (scopes)
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('describes what the routes really answer, ids in paths included', async () => {
    await served('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
    await served('GET', '/branches/b1');
    await served('POST', '/customers', { customerId: 'ana', name: 'Ana', email: 'ana@x.io' });
    await served('GET', '/customers/ana');
    await served('PUT', '/branches/b1/slots/s-0830', {
      startsAt: '2030-06-01T08:30:00Z',
      capacity: 5,
    });
    await served('GET', '/branches/b1/slots/s-0830');
    const reserved = await served('POST', '/branches/b1/slots/s-0830/reservations', {
      quantity: 2,
    });
    const items = [{ sku: 'latte', quantity: 2, unitPrice: 350 }];
    const order = await served('POST', '/branches/b1/orders', {
      customerId: 'ana',
      items,
      reservationId: reserved.body.reservationId,
    });
    const at = `/orders/${order.body.orderId}`;
    await served('POST', `${at}/payment`, { amount: 700 });
    await served('POST', `${at}/ready`, {});
    await served('POST', `${at}/collection`, {});
    await served('POST', `${at}/refunds`, { amount: 100, reason: 'cold' });
    await served('GET', at);
    await served('GET', `${at}/events`);
    await app.settle(); // the loyalty consumer credits the paid order: 7 points, 6 after the refund
    await served('POST', '/customers/ana/redemptions', { points: 1 });
    await served('GET', '/customers/ana/events');
    await served('GET', '/customers/ana/orders');
    // The reservation id has dots: the documented path pattern must take it.
    expect(reserved.body.reservationId).toContain('.');
    await served('DELETE', `/reservations/${reserved.body.reservationId}`);
    await served('POST', '/availability', {
      branchIds: ['b1'],
      from: '2030-06-01T00:00:00Z',
      to: '2030-06-02T00:00:00Z',
      quantity: 1,
    });
    await served('GET', '/branches/b1/sales?date=2030-06-01');
    await served('GET', '/health');
    await served('GET', '/projections');
    const cancelled = await served('POST', '/branches/b1/orders', { items });
    await served('POST', `/orders/${cancelled.body.orderId}/cancellation`, { reason: 'late' });
  });
});

describe('If-Match', () => {
  it('compares strongly: a weak or foreign tag never matches (412), a malformed one is 400', async () => {
    const order = await app.call('POST', '/branches/b1/orders', {
      items: [{ sku: 'tea', quantity: 1, unitPrice: 200 }],
    });
    const pay = (ifMatch: string, orderId = order.body.orderId) =>
      app.call('POST', `/orders/${orderId}/payment`, { amount: 200 }, { 'if-match': ifMatch });
    const stream = `Order#${order.body.orderId}`;
    for (const tag of ['W/"1"', '"abc"', 'W/"1", W/"2"']) {
      const refused = await pay(tag);
      expect(refused.status, tag).toBe(412);
      expect(refused.body.code).toBe('version-mismatch');
    }
    for (const tag of ['1', '*', '"1", "2"', '"1" junk', '']) {
      expect((await pay(tag)).status, JSON.stringify(tag)).toBe(400);
    }
    expect(await app.commits(stream)).toBe(1);
    // A weak tag on an order that does not exist: 404 comes first.
    expect((await pay('W/"1"', 'no-such-order')).status).toBe(404);
    // Weak tags next to the strong one are ignored; the strong one decides.
    const paid = await pay('W/"7", "1"');
    expect(paid.status).toBe(200);
    expect(paid.headers.get('etag')).toBe('"2"');
    expect(await app.commits(stream)).toBe(2);
  });

  it('applies to durable state too: a weak tag on a branch is 412 and writes nothing', async () => {
    const put = (ifMatch: string) =>
      app.call('PUT', '/branches/b9', { name: 'N', city: 'C' }, { 'if-match': ifMatch });
    expect((await put('W/"1"')).status).toBe(412);
    expect((await app.call('GET', '/branches/b9')).status).toBe(404);
  });
});
