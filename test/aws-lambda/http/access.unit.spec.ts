/**
 * The handler's side of authorization, on the Lambda path alone: it reads the claims API Gateway
 * verified from `requestContext.authorizer.jwt`, refuses a token route that arrives without them
 * when a JWT authorizer is meant to front it (a route deployed without its authorizer), re-checks
 * the route's scopes, and tells the route which subject a customer is limited to.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  callerOf,
  createHttpHandler,
  type HttpEvent,
  ownedByOf,
  routesOfGroup,
  scopesOfClaims,
} from '@coffee-es/aws-lambda';
import { describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { lambdaContext, lambdaEvent } from '../../support/lambdaEvent.ts';

const projectionsRoute = { routeKey: 'GET /projections', method: 'GET', rawPath: '/projections' };

function handlerWith(requireToken: boolean) {
  const built = { count: 0 };
  const handler = createHttpHandler({
    routes: routesOfGroup(system, 'operations'),
    deps: () => {
      built.count++;
      return { readModels: { queryItems: async () => [] } } as never;
    },
    logger: new Logger({ serviceName: 'spec', logLevel: 'SILENT' }),
    requireToken,
  });
  return { handler, built };
}

function withClaims(event: HttpEvent, claims: Record<string, string>, scopes?: string[] | null) {
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes } } },
  } as HttpEvent;
}

describe('the HTTP handler with verified claims', () => {
  it('refuses a token route without claims with 401 problem, building nothing', async () => {
    const { handler, built } = handlerWith(true);
    const answer = await handler(lambdaEvent(projectionsRoute), lambdaContext());
    expect(answer.statusCode).toBe(401);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body ?? '{}').code).toBe('unauthorized');
    expect(built.count).toBe(0);
    const health = lambdaEvent({ routeKey: 'GET /health', method: 'GET', rawPath: '/health' });
    expect((await handler(health, lambdaContext())).statusCode).toBe(200);
  });

  it("re-checks the route's scopes: 403 for a customer on a staff route, 200 for staff", async () => {
    const { handler } = handlerWith(true);
    const customer = withClaims(lambdaEvent(projectionsRoute), {
      sub: 'ana',
      scope: 'coffee/customer',
    });
    const refused = await handler(customer, lambdaContext());
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body ?? '{}').code).toBe('forbidden');
    // `scopes` is null on a route deployed without scopes: the claim still counts.
    const member = withClaims(
      lambdaEvent(projectionsRoute),
      { sub: 'till', scope: 'coffee/staff' },
      null,
    );
    expect((await handler(member, lambdaContext())).statusCode).toBe(200);
  });

  it('runs open without claims where no JWT authorizer is meant to be (local development)', async () => {
    const { handler } = handlerWith(false);
    expect((await handler(lambdaEvent(projectionsRoute), lambdaContext())).statusCode).toBe(200);
  });
});

describe('claims and ownership', () => {
  it('reads scopes from `scope`, `scp` and the flattened list form API Gateway passes on', () => {
    expect(scopesOfClaims({ scope: 'a b  c' })).toEqual(['a', 'b', 'c']);
    expect(scopesOfClaims({ scp: '[coffee/staff coffee/customer]' })).toEqual([
      'coffee/staff',
      'coffee/customer',
    ]);
    expect(scopesOfClaims({ scp: ['x', 1] })).toEqual(['x']);
    expect(scopesOfClaims({})).toEqual([]);
    const event = lambdaEvent(projectionsRoute);
    expect(callerOf(event)).toBeUndefined();
    expect(callerOf(withClaims(event, { scope: 'coffee/staff' }))).toBeUndefined(); // no subject
    expect(callerOf(withClaims(event, { sub: 'ana' }, ['coffee/customer']))?.scopes).toEqual([
      'coffee/customer',
    ]);
  });

  it('limits a caller holding only the owner scopes to their subject', () => {
    const access = {
      kind: 'token',
      scopes: ['coffee/staff', 'coffee/customer'],
      owner: { scopes: ['coffee/customer'], in: 'path', field: 'customerId' },
    } as const;
    const caller = (scopes: string[]) => ({ subject: 'ana', scopes, claims: {} });
    expect(ownedByOf(access, caller(['coffee/customer']))).toBe('ana');
    expect(ownedByOf(access, caller(['coffee/customer', 'coffee/staff']))).toBeUndefined();
    expect(ownedByOf(access, undefined)).toBeUndefined();
    expect(ownedByOf({ kind: 'public' }, caller(['coffee/customer']))).toBeUndefined();
  });

  it('declares who may call every route of the app', () => {
    const publicRoutes = system.routes.filter((r) => r.access.kind === 'public');
    expect(publicRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /health',
      'GET /openapi.json',
    ]);
    for (const route of system.routes) {
      if (route.access.kind === 'token') expect(route.access.scopes).toContain('coffee/staff');
    }
  });
});
