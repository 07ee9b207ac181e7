/**
 * Authorization at the HTTP edge. The token is verified before the handler runs (API Gateway's JWT
 * authorizer on AWS, the local server when its authorization is on); the handler reads the
 * verified claims from the event, checks the route's scopes again and, once the resource is
 * known, its owner.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem } from './problem.ts';
import type { Caller, Route, RouteAccess } from './route.ts';

/** The 401 problem for a missing or invalid token (with `WWW-Authenticate: Bearer`): throw it. */
export const unauthorized = (detail = 'A valid bearer token is required'): HttpProblem =>
  new HttpProblem(401, 'unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });

/** The 403 problem for a token that may not do this, or a resource of someone else: throw it. */
export const forbidden = (detail = 'This token may not do that'): HttpProblem =>
  new HttpProblem(403, 'forbidden', detail);

interface JwtAuthorizerContext {
  readonly jwt?: {
    readonly claims?: Readonly<Record<string, unknown>>;
    readonly scopes?: readonly string[] | null;
  };
}

/**
 * The caller whose JWT the gateway verified, from `requestContext.authorizer.jwt` (payload 2.0);
 * undefined when the request came in without one (a public route, IAM authorization, or a local
 * server without authorization).
 * @internal
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const context = event.requestContext as { readonly authorizer?: JwtAuthorizerContext };
  const jwt = context.authorizer?.jwt;
  const claims = jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  // API Gateway fills `scopes` only on routes that require scopes; the claim is always there.
  const scopes = Array.isArray(jwt.scopes) ? [...jwt.scopes] : scopesOfClaims(claims);
  return { subject: claims.sub, scopes, claims };
}

/** The token's scopes, from `scope` (RFC 8693: space-separated) or `scp`, as API Gateway reads them. */
export function scopesOfClaims(claims: Readonly<Record<string, unknown>>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  if (typeof raw !== 'string') return [];
  // A list claim reaches the function as "[a b]" (API Gateway flattens claims to strings).
  return raw
    .replace(/^\[(.*)\]$/, '$1')
    .split(/\s+/)
    .filter((s) => s !== '');
}

/**
 * The gateway's check, repeated in the handler so that a route deployed without its authorizer
 * does not run open: 401 without a verified caller (when `requireToken`), 403 without a scope.
 */
export function checkAccess(
  access: RouteAccess,
  caller: Caller | undefined,
  requireToken: boolean,
): void {
  if (access.kind === 'public') return;
  if (!caller) {
    if (requireToken) throw unauthorized();
    return;
  }
  if (!access.scopes.some((scope) => caller.scopes.includes(scope))) {
    throw forbidden(`This route needs one of the scopes ${access.scopes.join(', ')}`);
  }
}

/**
 * The subject a caller is limited to on a route (see `HttpRequest.ownedBy`).
 * @internal
 */
export function ownedByOf(access: RouteAccess, caller: Caller | undefined): string | undefined {
  if (access.kind === 'public' || !access.owner || !caller) return undefined;
  const limited = access.owner.scopes;
  const unlimited = access.scopes.filter((scope) => !limited.includes(scope));
  return unlimited.some((scope) => caller.scopes.includes(scope)) ? undefined : caller.subject;
}

/**
 * Refuses someone else's resource with 403 `forbidden`: call it once the resource is known (a
 * missing one answers 404 first). `owner` is the resource's owner, undefined when it has none (an
 * order placed without a customer belongs to no customer).
 *
 * @example
 * ```ts
 * const order = await deps.stores.of(orderEntity).get(orderId);
 * if (!order) throw notFound('order', orderId);
 * assertOwner(request, order.state.customerId);
 * ```
 */
export function assertOwner(
  request: { readonly ownedBy: string | undefined },
  owner: string | undefined,
): void {
  if (request.ownedBy !== undefined && owner !== request.ownedBy) {
    throw forbidden('This belongs to someone else');
  }
}

/** Routes whose access needs a token: what a gateway puts an authorizer on. */
export const needsToken = (route: Pick<Route, 'access'>): boolean => route.access.kind === 'token';
