import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('edge');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
});
afterAll(() => app?.stop());

const problemKeys = ['code', 'detail', 'status', 'title', 'type'];

describe('the HTTP edge', () => {
  it('answers 400 malformed-json for a broken body and writes nothing', async () => {
    const answer = await app.raw('POST', '/customers', '{"name": "Ana",');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('malformed-json');
    expect(Object.keys(answer.body).sort()).toEqual(problemKeys);
  });

  it('answers 415 unsupported-media-type for a body that is not JSON, before anything else', async () => {
    const answer = await app.raw('POST', '/customers', 'name=Ana', 'text/plain');
    expect(answer.status).toBe(415);
    expect(answer.body.code).toBe('unsupported-media-type');
  });

  it('answers 413 payload-too-large over 64 KiB', async () => {
    const answer = await app.raw(
      'POST',
      '/customers',
      JSON.stringify({ name: 'x'.repeat(70_000), email: 'a@b.io' }),
    );
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('payload-too-large');
  });

  it('answers 400 validation-failed for wrong types, listing each field', async () => {
    const answer = await app.call('POST', '/branches/b1/orders', {
      customerId: 5,
      items: [{ sku: 'a', quantity: '2', unitPrice: 1.5 }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation-failed');
    expect(answer.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/customerId',
      '/items/0/quantity',
      '/items/0/unitPrice',
    ]);
  });

  it('answers 404 for unknown routes and 405 for a known path with another method', async () => {
    const unknown = await app.call('GET', '/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not-found');
    const method = await app.call('DELETE', '/customers');
    expect(method.status).toBe(405);
    expect(method.body.code).toBe('method-not-allowed');
  });

  it('answers health and an OpenAPI 3.1 document listing every declared route', async () => {
    expect((await app.call('GET', '/health')).body).toEqual({ status: 'ok' });
    const doc = await app.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\.1/);
    const { system } = await import('../../../functions/app/system.ts');
    for (const route of system.routes) {
      expect(doc.body.paths[route.path]?.[route.method.toLowerCase()], route.path).toBeDefined();
    }
    const documented = Object.values(doc.body.paths as Record<string, object>).flatMap((p) =>
      Object.keys(p),
    ).length;
    expect(documented).toBe(system.routes.length);
  });

  it('answers a 500 with internal-error only: no stack, no internal message', async () => {
    // A commit whose events are not JSON: reading it fails inside the framework.
    const env = app.runtime.environment;
    const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
    await client.send(
      new PutItemCommand({
        TableName: app.runtime.tableNames.journal,
        Item: {
          pk: { S: 'Order#broken' },
          sk: { N: '1' },
          kind: { S: 'commit' },
          et: { S: 'Order' },
          to: { N: '1' },
          ev: { S: '{not json' },
          at: { S: '2026-01-01T00:00:00.000Z' },
          cmd: { S: 'x' },
        },
      }),
    );
    client.destroy();
    const answer = await app.call('GET', '/orders/broken');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      type: '/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side',
      code: 'internal-error',
    });
  });
});
