/**
 * A small entity with command and query routes for the framework's route specs: lockers that
 * open once, hold a bounded number of items (each needs a known key) and are read back with
 * their ETag. Its refusals are declared by kind, so each answers with its own status.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  createHttpHandler,
  defineCommandRoute,
  defineQueryRoute,
  forbidden,
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
import { lambdaContext, lambdaEvent } from './lambdaEvent.ts';

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

export const routes: Route<Deps>[] = [
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

/** A handler over the locker routes on a fresh in-memory journal, and a way to call it. */
export function harness() {
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
