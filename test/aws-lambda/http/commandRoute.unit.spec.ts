/**
 * The framework's command and query routes, through the Lambda handler, on an in-memory journal:
 * If-Match, Idempotency-Key (replay with the first ETag, refusals kept), refusals answered by
 * their declared kind, and the OpenAPI entries derived from the declarations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  createHttpHandler,
  defineCommandRoute,
  defineQueryRoute,
  forbidden,
  openApiDocument,
  type Route,
} from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import {
  defineEntity,
  EntityStore,
  InMemoryJournal,
  type RejectionDeclarations,
  reject,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { lambdaContext, lambdaEvent } from '../../support/lambdaEvent.ts';

const lockerRejections = {
  'locker-not-found': 'not-found',
  'key-not-found': 'reference-not-found',
  'locker-full': 'conflict',
  'locker-exists': 'conflict',
} as const satisfies RejectionDeclarations;
type LockerRejection = keyof typeof lockerRejections;
type LockerState = { readonly open: boolean; readonly items: number };
type LockerCommand =
  | { type: 'Open'; data: Record<string, never> }
  | { type: 'Put'; data: { items: number } };
type LockerEvent =
  | { type: 'Opened'; data: Record<string, never> }
  | { type: 'Put'; data: { items: number } };

const locker = defineEntity<LockerState, LockerCommand, LockerEvent, LockerRejection>({
  type: 'Locker',
  initialState: () => ({ open: false, items: 0 }),
  evolve: (state, event) =>
    event.type === 'Opened'
      ? { open: true, items: 0 }
      : { ...state, items: state.items + event.data.items },
  decide: (command, state) => {
    if (command.type === 'Open') {
      return state.open ? reject('locker-exists', 'Open already') : { type: 'Opened', data: {} };
    }
    if (!state.open) return reject('locker-not-found', 'No such locker');
    if (state.items + command.data.items > 3) return reject('locker-full', 'No room left');
    return { type: 'Put', data: command.data };
  },
  events: { Opened: { version: 1 }, Put: { version: 1 } },
  rejections: lockerRejections,
});

interface Deps {
  readonly lockers: EntityStore<LockerState, LockerCommand, LockerEvent>;
  readonly keys: ReadonlySet<string>;
}
const commandRoute = defineCommandRoute<Deps>();
const queryRoute = defineQueryRoute<Deps>();
const params = z.object({ lockerId: z.string() });
const view = ({ state, version }: { state: LockerState; version: number }) => ({
  items: state.items,
  version,
});

const routes: Route<Deps>[] = [
  commandRoute({
    method: 'PUT',
    path: '/lockers/{lockerId}',
    operationId: 'openLocker',
    group: 'lockers',
    summary: 'Open a locker',
    access: { kind: 'public' },
    params,
    responses: { 201: 'Opened' },
    entity: locker,
    rejects: ['locker-exists'],
    store: (deps) => deps.lockers,
    status: 201,
    target: ({ params }) => ({
      entityId: params.lockerId,
      command: { type: 'Open', data: {} } satisfies LockerCommand,
    }),
    view,
  }),
  commandRoute({
    method: 'POST',
    path: '/lockers/{lockerId}/items',
    operationId: 'putItems',
    group: 'lockers',
    summary: 'Put items in with a key',
    access: { kind: 'public' },
    idempotent: true,
    params,
    body: z.object({ items: z.int(), key: z.string() }),
    responses: { 200: 'Put' },
    entity: locker,
    rejects: ['locker-not-found', 'key-not-found', 'locker-full'],
    store: (deps) => deps.lockers,
    target: ({ params, body }, deps) =>
      params.lockerId === 'nowhere'
        ? reject('locker-not-found', 'Not a locker id')
        : {
            entityId: params.lockerId,
            command: { type: 'Put', data: { items: body.items } } satisfies LockerCommand,
            guard: () =>
              deps.keys.has(body.key) ? undefined : reject('key-not-found', `No key ${body.key}`),
          },
    view,
  }),
  queryRoute({
    path: '/lockers/{lockerId}',
    operationId: 'getLocker',
    group: 'lockers',
    summary: 'A locker',
    access: { kind: 'public' },
    params,
    responses: { 200: 'The locker' },
    store: (deps) => deps.lockers,
    entityId: ({ params }) => params.lockerId,
    what: 'locker',
    authorize: ({ headers }) => {
      if (headers['x-banned'] !== undefined) throw forbidden('Not yours');
    },
    view,
  }),
];

function harness() {
  const journal = new InMemoryJournal();
  const deps: Deps = { lockers: new EntityStore(locker, { journal }), keys: new Set(['k1']) };
  const handler = createHttpHandler({
    routes,
    deps: () => deps,
    logger: new Logger({ serviceName: 'spec', logLevel: 'SILENT' }),
  });
  const call = async (
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const route = routes.find((r) => r.method === method && matches(r.path, path));
    if (!route) throw new Error(`no route for ${method} ${path}`);
    const response = await handler(
      lambdaEvent({
        routeKey: `${route.method} ${route.path}`,
        method,
        rawPath: path,
        pathParameters: { lockerId: path.split('/')[2] ?? '' },
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      lambdaContext(),
    );
    return {
      status: response.statusCode,
      etag: response.headers?.etag,
      body: JSON.parse(String(response.body)),
    };
  };
  return { call, journal };
}

const matches = (pattern: string, path: string) =>
  new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);

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
