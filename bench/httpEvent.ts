/**
 * What API Gateway hands the HTTP function for a bench request: the payload 2.0 event (with the
 * JWT authorizer's claims for a customer's request) and a Lambda context.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Request } from './httpScenarios.ts';

/** The event of a contract request, with these headers. */
export function eventOf(request: Request, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const { method, template, params, body, customer } = request;
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
  const text = body === undefined ? undefined : JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: `${method} ${template}`,
    rawPath,
    rawQueryString: '',
    headers: {
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    pathParameters: params,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${template}`,
      stage: '$default',
      time: new Date().toISOString(),
      // What API Gateway's JWT authorizer puts there for a customer's verified token.
      ...(customer === undefined
        ? {}
        : {
            authorizer: {
              jwt: {
                claims: { sub: customer, scope: 'coffee/customer' },
                scopes: ['coffee/customer'],
              },
            },
          }),
      timeEpoch: Date.now(),
    },
    ...(text === undefined ? {} : { body: text }),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

export const context = {
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
