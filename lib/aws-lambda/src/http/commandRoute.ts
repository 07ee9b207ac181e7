/**
 * Routes over one entity, declared as data: a command route runs one command (If-Match,
 * Idempotency-Key, ETag and replay done here, refusals answered by their declared kind); a query
 * route reads one entity (404 when it does not exist, ETag of its version).
 */
import type {
  DomainCommand,
  DomainEvent,
  Entity,
  EntityStore,
  Rejection,
  RejectionDeclarations,
} from '@coffee-es/core';
import type * as z from '../schema.ts';
import {
  answerCommand,
  type CommandOutcome,
  type CommandTarget,
  notFoundProblem,
} from './commandAnswer.ts';
import type { HttpRequest, Route } from './route.ts';

type RouteFacts<D> = Omit<
  Route<D>,
  'method' | 'handle' | 'params' | 'body' | 'query' | 'rejections' | 'etag'
>;
type RequestOf<PS, BS, QS> = HttpRequest<z.output<PS>, z.output<BS>, z.output<QS>>;
type OrPromise<T> = T | Promise<T>;

/** A route that runs one command on one entity. */
export interface CommandRouteSpec<
  D,
  PS extends z.ZodMiniType,
  BS extends z.ZodMiniType,
  QS extends z.ZodMiniType,
  S,
  C extends DomainCommand,
  E extends DomainEvent,
  R extends string,
  V,
> extends RouteFacts<D> {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly params?: PS;
  readonly body?: BS;
  readonly query?: QS;
  /** The entity the command runs on: its declared rejections are the route's refusals. */
  readonly entity: Entity<S, C, E, R>;
  /** The codes this route may refuse with, for its OpenAPI entry; default: all it declares. */
  readonly rejects?: readonly NoInfer<R>[];
  /**
   * Where the entity's store is; default: the one `defineCommandRoute`'s `store` gives for the
   * entity (so a route names its entity and nothing else).
   */
  readonly store?: (deps: D) => EntityStore<NoInfer<S>, NoInfer<C>, NoInfer<E>>;
  /** The entity, command and checks the request makes; or a refusal before any is named. */
  readonly target: (
    request: RequestOf<PS, BS, QS>,
    deps: D,
  ) => OrPromise<CommandTarget<NoInfer<S>, NoInfer<C>, NoInfer<R>> | Rejection<NoInfer<R>>>;
  /** The answer's body, from the state after the command (kept with a keyed commit). */
  readonly view: (
    outcome: { readonly state: S; readonly version: number },
    request: RequestOf<PS, BS, QS>,
  ) => V;
  /** The success status (default 200), or how the outcome decides it. */
  readonly status?: number | ((outcome: CommandOutcome<E, V>) => number);
  /** Answers carry `ETag: "<version>"` (default true). */
  readonly etag?: boolean;
}

/** How command routes of an app find an entity's store when the route does not say. */
export interface CommandRouteDefaults<D> {
  readonly store?: <S, C extends DomainCommand, E extends DomainEvent>(
    deps: D,
    entity: Entity<S, C, E, string>,
  ) => EntityStore<S, C, E>;
}

/**
 * Declares command routes for an app's dependencies `D`: the handler is the framework's. With
 * `defaults.store` (say `(deps, entity) => deps.stores.of(entity)`, an `EntityStores`), a route
 * needs no `store` of its own; without, one that has none is refused when declared.
 *
 * @example
 * ```ts
 * const commandRoute = defineCommandRoute<AppDeps>({
 *   store: (deps, entity) => deps.stores.of(entity),
 * });
 * commandRoute({
 *   method: 'POST', path: '/orders/{orderId}/payment', operationId: 'payOrder', group: 'orders',
 *   summary: 'Pay an order', access: staffOnly, idempotent: true,
 *   params: z.object({ orderId: id }), body: z.object({ amount: z.int() }),
 *   responses: { 200: 'The order' }, entity: orderEntity, rejects: ['amount-mismatch'],
 *   target: ({ params, body }) => ({
 *     entityId: params.orderId,
 *     command: { type: 'PayOrder', data: { amount: body.amount } },
 *   }),
 *   view: ({ state, version }, { params }) => ({ ...orderView(params.orderId, state), version }),
 * });
 * ```
 */
export function defineCommandRoute<D>(defaults: CommandRouteDefaults<D> = {}) {
  return <
    S,
    C extends DomainCommand,
    E extends DomainEvent,
    R extends string,
    V,
    PS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
    BS extends z.ZodMiniType = z.ZodMiniType<undefined>,
    QS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
  >(
    spec: CommandRouteSpec<D, PS, BS, QS, S, C, E, R, V>,
  ): Route<D> => {
    const { entity, rejects, target, view, status, ...facts } = spec;
    const byDefault = defaults.store;
    const store =
      spec.store ?? (byDefault ? (deps: D) => byDefault<S, C, E>(deps, entity) : undefined);
    if (!store) {
      throw new TypeError(
        `${spec.method} ${spec.path}: no store (give the route one, or defineCommandRoute a default)`,
      );
    }
    const etag = spec.etag ?? true;
    const handle = async (request: RequestOf<PS, BS, QS>, deps: D) => {
      const outcome = await answerCommand<S, C, E, V>(
        store(deps),
        request,
        await target(request, deps),
        (after) => view(after, request),
      );
      return {
        status: typeof status === 'function' ? status(outcome) : (status ?? 200),
        body: outcome.view,
        ...(etag ? { etag: outcome.version } : {}),
      };
    };
    return {
      ...facts,
      entityType: entity.type,
      etag,
      rejections: declaredFor(entity.rejections, rejects),
      handle: handle as unknown as Route<D>['handle'],
    };
  };
}

/** The declarations of the codes a route answers with. */
function declaredFor(
  declared: RejectionDeclarations | undefined,
  codes: readonly string[] | undefined,
): RejectionDeclarations {
  const all = Object.entries(declared ?? {});
  return Object.fromEntries(codes ? all.filter(([code]) => codes.includes(code)) : all);
}

/** What a query route reads from: an entity store, or anything with its `get`. */
export interface EntityReader<S> {
  get(
    entityId: string,
    options?: { readonly consistent?: boolean },
  ): Promise<{ readonly state: S; readonly version: number } | undefined>;
}

/** A route that reads one entity, consistently unless told otherwise. */
export interface QueryRouteSpec<D, PS extends z.ZodMiniType, QS extends z.ZodMiniType, S, V>
  extends RouteFacts<D> {
  readonly method?: 'GET';
  readonly params?: PS;
  readonly query?: QS;
  readonly store: (deps: D) => EntityReader<S>;
  readonly entityId: (request: RequestOf<PS, z.ZodMiniType<undefined>, QS>) => string;
  /** What the entity is called in the 404's detail: `order` gives "No order o-1". */
  readonly what: string;
  /** Read the latest state (default true); false reads what a warm cache or an index has. */
  readonly consistent?: boolean;
  /** Checks on the entity found (say, that the caller owns it), after its 404. */
  readonly authorize?: (request: RequestOf<PS, z.ZodMiniType<undefined>, QS>, state: S) => void;
  readonly view: (
    found: { readonly state: S; readonly version: number },
    request: RequestOf<PS, z.ZodMiniType<undefined>, QS>,
  ) => V;
  /** Answers carry `ETag: "<version>"` (default true). */
  readonly etag?: boolean;
}

/**
 * Declares query routes for an app's dependencies `D`.
 *
 * @example
 * ```ts
 * defineQueryRoute<AppDeps>()({
 *   path: '/orders/{orderId}', operationId: 'getOrder', group: 'orders', summary: 'An order',
 *   access: ownOrder, params: z.object({ orderId: id }), responses: { 200: 'The order' },
 *   store: (deps) => deps.stores.of(orderEntity), entityId: ({ params }) => params.orderId, what: 'order',
 *   authorize: (request, state) => assertOwner(request, state.customerId),
 *   view: ({ state, version }, { params }) => ({ ...orderView(params.orderId, state), version }),
 * });
 * ```
 */
export function defineQueryRoute<D>() {
  return <
    S,
    V,
    PS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
    QS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
  >(
    spec: QueryRouteSpec<D, PS, QS, S, V>,
  ): Route<D> => {
    const { store, entityId, what, consistent, authorize, view, ...facts } = spec;
    const etag = spec.etag ?? true;
    const handle = async (request: RequestOf<PS, z.ZodMiniType<undefined>, QS>, deps: D) => {
      const id = entityId(request);
      const found = await store(deps).get(id, { consistent: consistent ?? true });
      if (!found) throw notFoundProblem(`No ${what} ${id}`);
      authorize?.(request, found.state);
      return {
        status: 200,
        body: view(found, request),
        ...(etag ? { etag: found.version } : {}),
      };
    };
    return {
      ...facts,
      method: 'GET',
      etag,
      handle: handle as unknown as Route<D>['handle'],
    };
  };
}
