/**
 * Who may call the deployed API, from each route's declared access: on prod a JWT with the
 * route's scopes (public routes and `$default` excepted); on dev IAM (SigV4) on everything,
 * unless an open demo is asked for, which the synth warns about.
 */

import type { Route } from '@coffee-es/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import {
  type CfnResource,
  functionId,
  prodContext,
  referencedIds,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synthesize.ts';

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synthesize(system);
  prod = synthesize(system, prodContext);
});

const routesOf = (s: Synthesized) =>
  new Map(
    resourcesOf(s.json, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => [r.Properties.RouteKey as string, r] as const,
    ),
  );
const keyOf = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

describe('prod stage', () => {
  it('puts the JWT authorizer and exactly the declared scopes on every token route', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: prodContext.jwtIssuer, Audience: [prodContext.jwtAudience] },
    });
    const routes = routesOf(prod);
    const tokenRoutes = system.routes.filter((r) => r.access.kind === 'token');
    expect(tokenRoutes.length).toBeGreaterThan(0);
    for (const route of tokenRoutes) {
      const found = routes.get(keyOf(route))?.Properties;
      expect(found?.AuthorizationType, keyOf(route)).toBe('JWT');
      expect(found?.AuthorizerId, keyOf(route)).toBeDefined();
      expect(found?.AuthorizationScopes, keyOf(route)).toEqual(
        route.access.kind === 'token' ? [...route.access.scopes] : undefined,
      );
    }
  });

  it('uses the two scopes of the contract: staff everywhere, customers on their own routes', () => {
    const scopes = new Set(
      [...routesOf(prod).values()].flatMap((r) => r.Properties.AuthorizationScopes ?? []),
    );
    expect(scopes).toEqual(new Set(['coffee/staff', 'coffee/customer']));
    for (const route of routesOf(prod).values()) {
      if (route.Properties.AuthorizationType !== 'JWT') continue;
      expect(route.Properties.AuthorizationScopes).toContain('coffee/staff');
    }
    const staffOnly = [
      'PUT /branches/{branchId}',
      'GET /projections',
      'POST /orders/{orderId}/refunds',
    ];
    for (const key of staffOnly) {
      expect(routesOf(prod).get(key)?.Properties.AuthorizationScopes, key).toEqual([
        'coffee/staff',
      ]);
    }
  });

  it('leaves /health, /openapi.json and $default public, and nothing else', () => {
    const open = [...routesOf(prod).entries()]
      .filter(([, r]) => (r.Properties.AuthorizationType ?? 'NONE') === 'NONE')
      .map(([key]) => key)
      .sort();
    // The operator console's page and scripts hold no data; its API needs staff scopes.
    expect(open).toEqual([
      '$default',
      'GET /_console',
      'GET /_console/{proxy+}',
      'GET /health',
      'GET /openapi.json',
    ]);
    expect(
      system.routes
        .filter((r) => r.access.kind === 'public')
        .map(keyOf)
        .sort(),
    ).toEqual(['GET /health', 'GET /openapi.json']);
  });

  it('acknowledges cdk-nag APIG4 on the public routes and $default only, with a reason', () => {
    const apig4 = prod.acknowledgments.filter((a) => a.id.endsWith('AwsSolutions-APIG4'));
    expect(apig4.map((a) => a.path.split('/').slice(-1)[0]).sort()).toEqual(
      [
        'DefaultRoute',
        'GET--_console',
        'GET--_console--{proxy+}',
        'GET--health',
        'GET--openapi.json',
      ].sort(),
    );
  });
});

describe('functions', () => {
  it('refuse token routes without verified claims on prod only (REQUIRE_TOKEN)', () => {
    for (const name of Object.keys(system.routeGroups)) {
      const variables = (s: Synthesized) =>
        s.json.Resources[functionId(s.json, `coffee route group ${name}`)]?.Properties.Environment
          .Variables;
      expect(variables(prod).REQUIRE_TOKEN, name).toBe('true');
      expect(variables(dev).REQUIRE_TOKEN, name).toBeUndefined();
    }
  });
});

describe('$default route', () => {
  it('exists on every stage and goes to the function of the declared group', () => {
    for (const s of [dev, prod]) {
      const fallback = routesOf(s).get('$default') as CfnResource;
      expect(fallback).toBeDefined();
      const integrationId = [...referencedIds(fallback.Properties.Target)][0] as string;
      expect(referencedIds(s.json.Resources[integrationId]?.Properties.IntegrationUri)).toEqual(
        new Set([functionId(s.json, `coffee route group ${system.defaultRouteGroup}`)]),
      );
    }
  });
});

describe('dev stage', () => {
  it('requires IAM (SigV4) on every route, $default included: no route is NONE', () => {
    const routes = [...routesOf(dev).values()];
    // The declared routes, the operator console's four and $default.
    expect(routes).toHaveLength(system.routes.length + 4 + 1);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(resourcesOf(dev.json, 'AWS::ApiGatewayV2::Authorizer')).toHaveLength(0);
    expect(dev.warnings.join('\n')).not.toMatch(/openApi/);
  });

  it('opens every route only with openApi=true, and warns at synth', () => {
    const open = synthesize(system, { openApi: 'true' });
    for (const route of routesOf(open).values()) {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    }
    expect(open.warnings.join('\n')).toMatch(/openApi=true: every route of this API is open/);
  });

  it('refuses openApi=true on a prod stage', () => {
    expect(() => synthesize(system, { ...prodContext, openApi: 'true' })).toThrow(/openApi/);
  });
});

describe('scopes come from the declaration', () => {
  it('follow a route whose declared access changes, with no edit to the stack', () => {
    const health = system.routes.find((r) => r.path === '/health') as Route<never>;
    const changed = {
      ...system,
      routes: system.routes.map((r) =>
        r === health ? { ...r, access: { kind: 'token', scopes: ['coffee/ops'] } as const } : r,
      ),
    };
    const synthesized = synthesize(changed, prodContext);
    const route = routesOf(synthesized).get('GET /health')?.Properties;
    expect(route?.AuthorizationType).toBe('JWT');
    expect(route?.AuthorizationScopes).toEqual(['coffee/ops']);
  });
});
