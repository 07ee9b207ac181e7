/** middy middlewares of the HTTP edge. Each is a factory returning named functions. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpProblem, internalError, problemOf } from './problem.ts';

type HttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** Every error becomes a problem+json answer; a 5xx never shows what went wrong inside. */
export function problemResponses(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const problemResponsesOnError = (request: HttpRequest) => {
    if (request.response?.statusCode !== undefined && request.error === null) return;
    const known = problemOf(request.error);
    const problem = known ?? internalError();
    if (problem.status >= 500) {
      logger.error('request failed', { error: request.error ?? undefined, code: problem.code });
    }
    request.response = {
      statusCode: problem.status,
      headers: { 'content-type': 'application/problem+json', ...problem.headers },
      body: JSON.stringify(problem.body),
    };
  };
  return { onError: problemResponsesOnError };
}

/** One structured log line per request, with its route, status and duration. */
export function accessLog(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const started = new WeakMap<object, number>();
  const accessLogBefore = (request: HttpRequest) => {
    started.set(request, performance.now());
    logger.appendKeys({ requestId: request.context.awsRequestId });
  };
  const accessLogAfter = (request: HttpRequest) => {
    const status = request.response?.statusCode ?? 0;
    const ms =
      Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10;
    logger.info('request', { route: request.event.routeKey, status, ms });
    logger.removeKeys(['requestId']);
  };
  return { before: accessLogBefore, after: accessLogAfter, onError: accessLogAfter };
}

export { HttpProblem };
