/**
 * The framework's command and query routes, through the Lambda handler, on an in-memory journal:
 * If-Match, Idempotency-Key (replay with the first ETag, refusals kept), refusals answered by
 * their declared kind, and the OpenAPI entries derived from the declarations.
 */
import { openApiDocument, type Route } from '@coffee-es/aws-lambda';
import { describe, expect, it } from 'vitest';
import { harness, routes } from '../../support/lockerRoutes.ts';

describe('command routes', () => {
  it('answers with the ETag of the new version, and 412 for a stale If-Match', async () => {
    const { call } = harness();
    expect(await call('PUT', '/lockers/a')).toMatchObject({ status: 201, etag: '"1"' });
    const put = await call(
      'POST',
      '/lockers/a/items',
      { items: 1, key: 'k1' },
      { 'if-match': '"1"' },
    );
    expect(put).toMatchObject({ status: 200, etag: '"2"', body: { items: 1, version: 2 } });
    const stale = await call(
      'POST',
      '/lockers/a/items',
      { items: 1, key: 'k1' },
      { 'if-match': '"1"' },
    );
    expect(stale).toMatchObject({ status: 412, body: { code: 'version-mismatch' } });
  });

  it('answers 404 before 412: If-Match on a locker that does not exist', async () => {
    const { call, journal } = harness();
    const ghost = await call(
      'POST',
      '/lockers/g/items',
      { items: 1, key: 'k1' },
      { 'if-match': '"3"' },
    );
    expect(ghost).toMatchObject({ status: 404, body: { code: 'not-found' } });
    expect(journal.requests.append).toBe(0);
  });

  it('answers each refusal by its declared kind', async () => {
    const { call } = harness();
    await call('PUT', '/lockers/a');
    const missing = await call('POST', '/lockers/b/items', { items: 1, key: 'k1' });
    expect(missing).toMatchObject({ status: 404, body: { code: 'not-found' } });
    const noKey = await call('POST', '/lockers/a/items', { items: 1, key: 'k9' });
    expect(noKey).toMatchObject({ status: 404, body: { code: 'key-not-found' } });
    const full = await call('POST', '/lockers/a/items', { items: 4, key: 'k1' });
    expect(full).toMatchObject({ status: 409, body: { code: 'locker-full' } });
    const nowhere = await call('POST', '/lockers/nowhere/items', { items: 1, key: 'k1' });
    expect(nowhere).toMatchObject({ status: 404, body: { code: 'not-found' } });
    expect((await call('PUT', '/lockers/a')).body.code).toBe('locker-exists');
  });

  it('replays a keyed answer with its first ETag after the locker moved on; 422 for another body', async () => {
    const { call, journal } = harness();
    await call('PUT', '/lockers/a');
    const key = { 'idempotency-key': 'put-1' };
    const first = await call('POST', '/lockers/a/items', { items: 1, key: 'k1' }, key);
    await call('POST', '/lockers/a/items', { items: 1, key: 'k1' });
    const appends = journal.requests.append;
    const again = await call('POST', '/lockers/a/items', { items: 1, key: 'k1' }, key);
    expect(again).toEqual(first);
    expect(again.etag).toBe('"2"');
    expect(journal.requests.append).toBe(appends);
    const other = await call('POST', '/lockers/a/items', { items: 2, key: 'k1' }, key);
    expect(other).toMatchObject({ status: 422, body: { code: 'idempotency-key-reused' } });
  });

  it('replays a keyed refusal even once the command would pass', async () => {
    const { call } = harness();
    await call('PUT', '/lockers/a');
    const key = { 'idempotency-key': 'early' };
    const refused = await call('POST', '/lockers/x/items', { items: 1, key: 'k1' }, key);
    expect(refused).toMatchObject({ status: 404 });
    await call('PUT', '/lockers/x');
    expect(await call('POST', '/lockers/x/items', { items: 1, key: 'k1' }, key)).toEqual(refused);
  });
});

describe('query routes', () => {
  it('answers 404 not-found, then the entity with its ETag, then the check on it', async () => {
    const { call } = harness();
    expect(await call('GET', '/lockers/a')).toMatchObject({
      status: 404,
      body: { code: 'not-found', detail: 'No locker a' },
    });
    await call('PUT', '/lockers/a');
    expect(await call('GET', '/lockers/a')).toMatchObject({ status: 200, etag: '"1"' });
    const banned = await call('GET', '/lockers/a', undefined, { 'x-banned': '1' });
    expect(banned).toMatchObject({ status: 403 });
  });
});

describe('the OpenAPI entries of command routes', () => {
  const document = openApiDocument(routes as Route<never>[], { title: 't', version: '1' }) as {
    paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
  };
  const responses = (path: string, method: string) => document.paths[path]?.[method]?.responses;

  it("lists the route's declared refusals under the status of their kind", () => {
    const put = responses('/lockers/{lockerId}/items', 'post');
    expect(put?.['404']?.description).toBe('not-found, key-not-found');
    expect(put?.['409']?.description).toBe('locker-full');
    // Only the codes the route names: opening refuses with locker-exists alone.
    expect(responses('/lockers/{lockerId}', 'put')?.['409']?.description).toBe('locker-exists');
    expect(responses('/lockers/{lockerId}', 'get')?.['409']).toBeUndefined();
  });
});
