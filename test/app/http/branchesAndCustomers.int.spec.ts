import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('branchesCustomers');
});
afterAll(() => app?.stop());

describe('branches (durable state)', () => {
  it('creates with 201, updates with 200, reads back with its revision as ETag', async () => {
    const created = await app.call('PUT', '/branches/lisbon-1', { name: 'Baixa', city: 'Lisbon' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      branchId: 'lisbon-1',
      name: 'Baixa',
      city: 'Lisbon',
      revision: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const updated = await app.call('PUT', '/branches/lisbon-1', { name: 'Chiado', city: 'Lisbon' });
    expect(updated.status).toBe(200);
    expect(updated.body.revision).toBe(2);
    const read = await app.call('GET', '/branches/lisbon-1');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      branchId: 'lisbon-1',
      name: 'Chiado',
      city: 'Lisbon',
      revision: 2,
    });
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('answers 412 version-mismatch on a stale If-Match and writes nothing', async () => {
    await app.call('PUT', '/branches/porto-1', { name: 'Ribeira', city: 'Porto' });
    const stale = await app.call(
      'PUT',
      '/branches/porto-1',
      { name: 'Other', city: 'Porto' },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version-mismatch');
    expect((await app.call('GET', '/branches/porto-1')).body.name).toBe('Ribeira');
    const fresh = await app.call(
      'PUT',
      '/branches/porto-1',
      { name: 'Bolhão', city: 'Porto' },
      { 'if-match': '"1"' },
    );
    expect(fresh.status).toBe(200);
  });

  it('answers 404 not-found for an unknown branch and 400 for a bad id or body', async () => {
    const missing = await app.call('GET', '/branches/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not-found');
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const badId = await app.call('PUT', '/branches/bad%20id', { name: 'x', city: 'y' });
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('validation-failed');
    const badBody = await app.call('PUT', '/branches/b-1', { name: '', city: 7 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/city',
      '/name',
    ]);
    expect((await app.call('GET', '/branches/b-1')).status).toBe(404);
  });
});

describe('customers', () => {
  it('registers under a server-generated ULID, reads back consistently', async () => {
    const created = await app.call('POST', '/customers', { name: 'Ana', email: 'ana@example.com' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Ana',
      email: 'ana@example.com',
      points: 0,
      lifetimePoints: 0,
      tier: 'bronze',
      orderCount: 0,
      version: 1,
    });
    expect(created.body.customerId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const read = await app.call('GET', `/customers/${created.body.customerId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('takes a client id once; the second registration answers 409 customer-exists', async () => {
    const body = { customerId: 'cust-7', name: 'Rui', email: 'rui@example.com' };
    expect((await app.call('POST', '/customers', body)).status).toBe(201);
    const again = await app.call('POST', '/customers', body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer-exists');
    expect(await app.commits('Customer#cust-7')).toBe(1);
  });

  it('lists every invalid field', async () => {
    const bad = await app.call('POST', '/customers', { name: '', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation-failed');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/email',
      '/name',
    ]);
  });

  it('refuses a redemption beyond the balance with 409 insufficient-points', async () => {
    await app.call('POST', '/customers', { customerId: 'cust-r', name: 'Eva', email: 'e@x.io' });
    const refused = await app.call('POST', '/customers/cust-r/redemptions', { points: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient-points');
    expect(await app.commits('Customer#cust-r')).toBe(1);
    const unknown = await app.call('POST', '/customers/nobody/redemptions', { points: 5 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not-found');
    const zero = await app.call('POST', '/customers/cust-r/redemptions', { points: 0 });
    expect(zero.status).toBe(400);
  });

  it('serves the audit trail oldest first, paged, and 404 for an unknown customer', async () => {
    await app.call('POST', '/customers', { customerId: 'cust-a', name: 'Ivo', email: 'i@x.io' });
    const trail = await app.call('GET', '/customers/cust-a/events');
    expect(trail.status).toBe(200);
    expect(trail.body.events).toHaveLength(1);
    expect(trail.body.events[0]).toMatchObject({
      position: 1,
      type: 'CustomerRegistered',
      schemaVersion: 1,
    });
    expect(typeof trail.body.events[0].recordedAt).toBe('string');
    const after = await app.call('GET', '/customers/cust-a/events?after=1&limit=10');
    expect(after.body.events).toEqual([]);
    expect((await app.call('GET', '/customers/ghost/events')).status).toBe(404);
    expect((await app.call('GET', '/customers/cust-a/events?limit=0')).status).toBe(400);
    expect((await app.call('GET', '/customers/ghost')).body.code).toBe('not-found');
  });

  it('answers the order history (empty before any order) and 404 for an unknown customer', async () => {
    await app.call('POST', '/customers', { customerId: 'cust-h', name: 'Lia', email: 'l@x.io' });
    const history = await app.call('GET', '/customers/cust-h/orders');
    expect(history.status).toBe(200);
    expect(history.body).toEqual({ orders: [] });
    expect((await app.call('GET', '/customers/ghost/orders')).status).toBe(404);
  });
});
