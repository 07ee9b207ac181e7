/**
 * One Lambda handler for a group of routes: middy with a problem-response middleware around a
 * dispatcher that parses, checks idempotency, calls the route and shapes the answer.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { canonicalJson, fingerprint, RefusalReplayedError } from '@coffee-es/core';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { callerOf, checkAccess, ownedByOf } from './access.ts';
import { derivedIdOf } from './derivedId.ts';
import { refusalAnswer, type StoredAnswer } from './idempotency.ts';
import { accessLog, problemResponses } from './middleware.ts';
import { defaultMaxBodyBytes, parseRequest } from './parseRequest.ts';
import {
  type Caller,
  type HttpResult,
  type IdempotencyContext,
  type Route,
  routeKeyOf,
} from './route.ts';
import { unknownRoute } from './unknownRoute.ts';

/** What API Gateway (HTTP API, payload 2.0) hands a route-group function. */
export type HttpEvent = APIGatewayProxyEventV2;
/** What a route-group function answers API Gateway with. */
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/**
 * The routes one function serves, its dependencies (built on the first request), its logger,
 * and the limits and checks of the edge.
 */
export interface HttpHandlerOptions<D> {
  readonly routes: readonly Route<D>[];
  /** Built once per container, on the first request (cold start). */
  readonly deps: () => D;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  /**
   * Every route of the API, served here or not, so that a request on the `$default` route (no
   * route matched on API Gateway) answers 405 for a known path and 404 otherwise. Default `routes`.
   */
  readonly allRoutes?: readonly Pick<Route, 'method' | 'path'>[];
  /**
   * Refuse token routes that arrive without verified JWT claims (401). Set where a JWT authorizer
   * fronts every such route; unset, a request without claims runs unlimited (a local server
   * without authorization, or a stage behind IAM authorization).
   */
  readonly requireToken?: boolean;
}

/**
 * Builds the Lambda handler of a route group: middy with access logs and one error middleware
 * around a dispatcher that matches the route, checks access (401/403), parses and validates the
 * request (400/413/415), handles `Idempotency-Key` (a repeat replays the kept answer; another
 * request under the same key answers 422) and shapes the answer (`ETag` from `etag`). Errors
 * thrown by routes become problem responses: framework errors by their code (409, 412, 503 with
 * `Retry-After`...), `HttpProblem` as given, anything else a 500 whose message is not shown.
 *
 * @example
 * ```ts
 * export const handler = createHttpHandler({
 *   routes: routesOfGroup(system, 'orders'),
 *   allRoutes: system.routes,
 *   deps: () => ({ orders: new EntityStore(orderEntity, { journal }) }),
 *   logger: new Logger({ serviceName: 'coffee' }),
 * });
 * ```
 */
export function createHttpHandler<D>(options: HttpHandlerOptions<D>) {
  const byKey = new Map(options.routes.map((route) => [routeKeyOf(route), route]));
  let deps: D | undefined;
  const dispatch = async (event: HttpEvent, context: Context): Promise<HttpResponse> => {
    const route = byKey.get(event.routeKey);
    if (!route) {
      throw unknownRoute(
        options.allRoutes ?? options.routes,
        event.requestContext.http.method,
        event.rawPath,
      );
    }
    const caller = callerOf(event);
    checkAccess(route.access, caller, options.requireToken ?? false);
    deps ??= options.deps();
    const ready = deps;
    const input = parseRequest(
      route as Route<never>,
      event,
      options.maxBodyBytes ?? defaultMaxBodyBytes,
    );
    const call = (idempotency: IdempotencyContext | undefined) =>
      route.handle(
        {
          params: input.params as never,
          body: input.body as never,
          query: input.query as never,
          headers: input.headers,
          ifMatch: input.ifMatch,
          requestId: context.awsRequestId,
          remainingTimeMs: () => context.getRemainingTimeInMillis(),
          idempotency,
          caller,
          ownedBy: ownedByOf(route.access, caller),
        },
        ready,
      );
    const answer = (result: HttpResult | StoredAnswer) =>
      route.personalData ? withNoStore(toResponse(result)) : toResponse(result);
    if (input.idempotencyKey === undefined || !route.idempotent) {
      return answer(await call(undefined));
    }
    const scope = idempotencyScope(event, caller, input.idempotencyKey);
    return answer(await idempotent(scope, fingerprint(canonicalJson(input.body ?? null)), call));
  };
  return middy<HttpEvent, HttpResponse>()
    .use(accessLog(options.logger))
    .use(problemResponses(options.logger))
    .handler(dispatch);
}

/**
 * What an `Idempotency-Key` is unique within: the caller (the token's subject, when there is one),
 * method, path and key; two callers' equal keys are two commands. Requests without a token keep
 * the scope they always had.
 */
export function idempotencyScope(
  event: HttpEvent,
  caller: Caller | undefined,
  key: string,
): string {
  const request = `${event.requestContext.http.method} ${event.rawPath} ${key}`;
  return caller ? `${caller.subject} ${request}` : request;
}

/** Answers with personal data are for their caller only: no shared or private cache keeps them. */
const withNoStore = (response: HttpResponse): HttpResponse => ({
  ...response,
  headers: { ...response.headers, 'cache-control': 'no-store' },
});

/**
 * Runs a keyed request with its idempotency context. A refusal the store kept for the key comes
 * back as RefusalReplayedError: its stored answer is the answer again.
 */
async function idempotent(
  scope: string,
  print: string,
  call: (idempotency: IdempotencyContext) => Promise<HttpResult>,
): Promise<HttpResult | StoredAnswer> {
  try {
    return await call({
      key: scope,
      fingerprint: print,
      derivedId: derivedIdOf(scope),
      refusal: refusalAnswer,
    });
  } catch (error) {
    if (error instanceof RefusalReplayedError) return error.answer as StoredAnswer;
    throw error;
  }
}

export function toResponse(result: HttpResult | StoredAnswer): HttpResponse {
  const isProblem = result.status >= 400;
  return {
    statusCode: result.status,
    headers: {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      ...(result.etag === undefined ? {} : { etag: `"${result.etag}"` }),
      ...result.headers,
    },
    body: JSON.stringify(result.body),
  };
}
