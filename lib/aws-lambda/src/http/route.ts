/**
 * Routes as data: method, path, schemas and a handler. The same declarations drive the Lambda
 * handlers, the local API Gateway emulation, the OpenAPI document and the CDK stack.
 */
import type { RejectionDeclarations } from '@coffee-es/core';
import type * as z from '../schema.ts';

/** The HTTP methods a route may have. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route handler sees: validated input and the edge's facts about the request. */
export interface HttpRequest<P, B, Q> {
  readonly params: P;
  readonly body: B;
  readonly query: Q;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The version in `If-Match`, when sent. */
  readonly ifMatch: number | undefined;
  readonly requestId: string;
  /** Time left before the function is stopped (Lambda's `getRemainingTimeInMillis`). */
  readonly remainingTimeMs: () => number;
  /** Present when the client sent `Idempotency-Key` on a route that accepts it. */
  readonly idempotency: IdempotencyContext | undefined;
  /** The verified caller, when the request carries a token (see {@link Caller}). */
  readonly caller: Caller | undefined;
  /**
   * The subject this caller is limited to on this route: set when the route declares an
   * {@link OwnerRule} and the caller holds only its scopes. The handler checks it against the
   * resource once the resource is known (after its 404), with `assertOwner`. Undefined: the caller
   * may reach everything the route serves (staff, or a server without authorization).
   */
  readonly ownedBy: string | undefined;
}

/**
 * A caller whose token was verified before the handler ran: by API Gateway's JWT authorizer on AWS,
 * by the local server when its authorization is on. Read from the event's
 * `requestContext.authorizer.jwt`.
 */
export interface Caller {
  /** The token's `sub`. */
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Who may call a route, declared with it. `public`: anyone, no token. `token`: a verified JWT
 * carrying at least one of `scopes` (API Gateway's `authorizationScopes` semantics: any one
 * suffices); checked before the handler runs, by the gateway and by the local server.
 *
 * @example
 * ```ts
 * const staffOnly: RouteAccess = { kind: 'token', scopes: ['coffee/staff'] };
 * const ownOrder: RouteAccess = {
 *   kind: 'token',
 *   scopes: ['coffee/staff', 'coffee/customer'],
 *   owner: { scopes: ['coffee/customer'], in: 'resource', field: 'customerId' },
 * };
 * ```
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | {
      readonly kind: 'token';
      readonly scopes: readonly [string, ...string[]];
      /** Callers holding only these scopes reach only their own resources. */
      readonly owner?: OwnerRule;
    };

/**
 * How a route limits some callers to what they own: the owner must be the token's subject.
 * - `path`: the path parameter `field` names the owner;
 * - `body`: the body field `field` names the owner; left out, the handler fills in the subject
 *   (registration binds the new customer to the subject);
 * - `resource`: the stored resource's `field` names the owner (set to the subject when the route
 *   creates the resource).
 * A resource that does not exist answers 404 first; someone else's answers 403 `forbidden`.
 */
export interface OwnerRule {
  readonly scopes: readonly [string, ...string[]];
  readonly in: 'path' | 'body' | 'resource';
  readonly field: string;
}

/**
 * What a keyed request gives its route: the key to pass to `execute`, an id derived from it for
 * what the command creates, and the answer to keep for a refusal.
 */
export interface IdempotencyContext {
  /** Scoped key: caller + method + path + client key. Pass it to `execute` as `idempotencyKey`. */
  readonly key: string;
  /** Fingerprint of the request body. Pass it to `execute` as `fingerprint`. */
  readonly fingerprint: string;
  /**
   * The id a create under a server-generated id takes with this key: the same for every repeat,
   * so the repeat meets the first commit.
   */
  readonly derivedId: string;
  /** The answer to keep for a refusal: pass it to `execute` as `refusal`. */
  readonly refusal: (error: unknown) => unknown;
}

/** What a route answers: a status, a body, the version as `ETag`, and any headers. */
export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  /** The entity version or revision, sent as `ETag: "<n>"`. */
  readonly etag?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A route as data: method, path, schemas, access and a handler. The same declaration drives the
 * Lambda handler, the local API Gateway emulation, the OpenAPI document and the CDK stack.
 */
export interface Route<D = unknown> {
  readonly method: HttpMethod;
  /** API Gateway syntax: `/orders/{orderId}/payment`. */
  readonly path: string;
  readonly operationId: string;
  /** Routes of one group are served by one function. */
  readonly group: string;
  /** The entity type whose streams the route writes (a command route's entity), for its grants. */
  readonly entityType?: string;
  readonly summary: string;
  readonly params?: z.ZodMiniType;
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  /** The route accepts `Idempotency-Key`. */
  readonly idempotent?: boolean;
  /** Who may call it: checked at the gateway (scopes) and in the handler (ownership). */
  readonly access: RouteAccess;
  /** Answers carry personal data: `Cache-Control: no-store`, so no cache keeps them. */
  readonly personalData?: boolean;
  /** Status → description, for the OpenAPI document. */
  readonly responses: Readonly<Record<number, string>>;
  /**
   * The refusals the route may answer with, as its entity declares them: the OpenAPI document
   * lists their codes under the status each kind answers with.
   */
  readonly rejections?: RejectionDeclarations;
  /** The schema of a successful answer's body, for the OpenAPI document. */
  readonly returns?: z.ZodMiniType;
  /** Successful answers carry `ETag: "<version>"`. */
  readonly etag?: boolean;
  readonly handle: (request: HttpRequest<never, never, never>, deps: D) => Promise<HttpResult>;
}

/**
 * Declares a route with typed input: the handler's `params`, `body` and `query` are inferred
 * from the schemas.
 *
 * @example
 * ```ts
 * defineRoute<Deps>()({
 *   method: 'GET', path: '/health', operationId: 'health', group: 'ops', summary: 'Liveness',
 *   access: { kind: 'public' }, responses: { 200: 'ok' },
 *   handle: async () => ({ status: 200, body: { status: 'ok' } }),
 * });
 * ```
 */
export function defineRoute<D>() {
  return <
    PS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
    BS extends z.ZodMiniType = z.ZodMiniType<undefined>,
    QS extends z.ZodMiniType = z.ZodMiniType<Record<string, string>>,
  >(
    route: Omit<Route<D>, 'handle' | 'params' | 'body' | 'query'> & {
      readonly params?: PS;
      readonly body?: BS;
      readonly query?: QS;
      readonly handle: (
        request: HttpRequest<z.output<PS>, z.output<BS>, z.output<QS>>,
        deps: D,
      ) => Promise<HttpResult>;
    },
  ): Route<D> => route as unknown as Route<D>;
}

/** `GET /orders/{orderId}`: the key API Gateway puts in `routeKey`. */
export const routeKeyOf = (route: Pick<Route, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? '';
    const actual = got[i] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (actual === '') return undefined;
      params[segment.slice(1, -1)] = decodeSegment(actual);
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

/**
 * A path segment, percent-decoded; a malformed escape is kept as sent, for the handler to refuse
 * with a 400 (matching a route never fails on it).
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
