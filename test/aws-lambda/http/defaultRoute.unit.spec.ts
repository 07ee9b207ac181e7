/**
 * API Gateway sends every request that matches no declared route to the `$default` route, whose
 * function must answer as the local server does: 405 for a known path with another method, 404
 * for an unknown path, both problem+json, and without building any dependency.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  createHttpHandler,
  defaultRouteKey,
  type HttpEvent,
  routesOfGroup,
} from '@coffee-es/aws-lambda';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';

let depsBuilt = 0;
const handler = createHttpHandler({
  // The group whose function serves `$default` on AWS.
  routes: routesOfGroup(system, 'operations'),
  allRoutes: system.routes,
  // Health needs none of them; an unknown route must not even build them.
  deps: () => {
    depsBuilt++;
    return {} as never;
  },
  logger: new Logger({ serviceName: 'spec', logLevel: 'SILENT' }),
});

function event(method: string, rawPath: string, routeKey = defaultRouteKey): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: 'r-1',
      routeKey,
      stage: '$default',
      time: '01/Dec/2026:08:00:00 +0000',
      timeEpoch: 0,
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 'spec',
      },
    },
  };
}

const context = { awsRequestId: 'r-1', functionName: 'ops' } as Context;

async function call(e: HttpEvent) {
  const response = await handler(e, context);
  if (typeof response !== 'object') throw new Error('structured response expected');
  return { ...response, json: JSON.parse(String(response.body)) };
}

describe('the $default route', () => {
  it('answers 405 method-not-allowed for a declared path with another method', async () => {
    const response = await call(event('PATCH', '/orders/o-1'));
    expect(response.statusCode).toBe(405);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({ status: 405, code: 'method-not-allowed' });
  });

  it('answers 405 for a path declared in another group than the one serving $default', async () => {
    const response = await call(event('DELETE', '/branches/lisbon-1/slots/s-1'));
    expect(response.json).toMatchObject({ status: 405, code: 'method-not-allowed' });
  });

  it('answers 404 not-found for a path no route declares, even one with a bad escape', async () => {
    for (const path of ['/nothing', '/orders', '/orders/o-1/payment/extra', '/%E0%A4%A']) {
      const response = await call(event('GET', path));
      expect(response.statusCode, path).toBe(404);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(response.json).toMatchObject({ status: 404, code: 'not-found' });
    }
    expect(depsBuilt).toBe(0);
  });

  it('treats a route key the function does not serve like $default', async () => {
    const response = await call(
      event('POST', '/orders/o-1/payment', 'POST /orders/{orderId}/payment'),
    );
    // The orders group serves it; the operations function never would, and says so precisely.
    expect(response.statusCode).toBe(405);
  });

  it('still serves the routes of its own group', async () => {
    const response = await call(event('GET', '/health', 'GET /health'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
  });
});
