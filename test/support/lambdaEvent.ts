/**
 * API Gateway (HTTP API, payload 2.0) events and a Lambda context, for specs that call the
 * Lambda handler directly: the path API Gateway would take, without the local server.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface EventInput {
  readonly routeKey: string;
  readonly method: string;
  /** As sent on the wire: percent-escapes untouched. */
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export function lambdaEvent(input: EventInput): APIGatewayProxyEventV2 {
  const now = new Date();
  const requestId = globalThis.crypto.randomUUID();
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString ?? '',
    headers: input.headers ?? {},
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    ...(input.queryStringParameters ? { queryStringParameters: input.queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'spec',
      domainName: 'localhost',
      domainPrefix: 'spec',
      http: {
        method: input.method,
        path: input.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'spec',
      },
      requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: false,
  };
}

export function lambdaContext(timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: globalThis.crypto.randomUUID(),
    functionName: 'spec',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:spec',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/spec',
    logStreamName: 'spec',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
