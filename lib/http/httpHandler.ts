/**
 * One Lambda handler for a group of routes: middy with a problem-response middleware around a
 * dispatcher that parses, checks idempotency, calls the route and shapes the answer.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { canonicalJson, fingerprint } from '../core/hash.ts';
import { callerOf, checkAccess, ownedByOf } from './access.ts';
import type { IdempotencyRecords, StoredAnswer } from './idempotency.ts';
import { accessLog, problemResponses } from './middleware.ts';
import { defaultMaxBodyBytes, parseRequest } from './parseRequest.ts';
import { HttpProblem, problemOf } from './problem.ts';
import {
  type Caller,
  type HttpResult,
  type IdempotencyContext,
  type Route,
  routeKeyOf,
} from './route.ts';
import { unknownRoute } from './unknownRoute.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface HttpHandlerOptions<D> {
  readonly routes: readonly Route<D>[];
  /** Built once per container, on the first request (cold start). */
  readonly deps: () => D;
  readonly idempotency: (deps: D) => IdempotencyRecords | undefined;
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
    const records = input.idempotencyKey === undefined ? undefined : options.idempotency(ready);
    const answer = (result: HttpResult | StoredAnswer) =>
      route.personalData ? withNoStore(toResponse(result)) : toResponse(result);
    if (!records) return answer(await call(undefined));
    const scope = idempotencyScope(event, caller, input.idempotencyKey as string);
    return answer(
      await idempotent(records, scope, fingerprint(canonicalJson(input.body ?? null)), call),
    );
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
 * Runs a keyed request: a stored answer is replayed; otherwise the route runs with an
 * idempotency context, and a refusal is stored so that repeats get it again.
 */
async function idempotent(
  records: IdempotencyRecords,
  scope: string,
  print: string,
  call: (idempotency: IdempotencyContext) => Promise<HttpResult>,
): Promise<HttpResult | StoredAnswer> {
  const stored = await records.get(scope);
  if (stored?.answer) {
    if (stored.fingerprint !== print) throw reused();
    return stored.answer;
  }
  try {
    return await call({
      key: scope,
      fingerprint: print,
      claimEntityId: async (entityId) => {
        const claimed = await records.claim({ scope, fingerprint: print, entityId });
        if (claimed.fingerprint !== print) throw reused();
        return claimed.entityId ?? entityId;
      },
    });
  } catch (error) {
    const problem = problemOf(error);
    if (problem && problem.status < 500 && problem.code !== 'idempotency-key-reused') {
      await records.saveAnswer(scope, print, answerOf(problem));
    }
    throw error;
  }
}

const reused = () =>
  new HttpProblem(
    422,
    'idempotency-key-reused',
    'This Idempotency-Key was used with another request',
  );

function answerOf(problem: HttpProblem): StoredAnswer {
  return { status: problem.status, body: problem.body, headers: problem.headers };
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
