/**
 * One declaration drives both worlds: a route (and the group serving it) added to the
 * declaration shows up in the synthesized HTTP API and in the local server, with no edit to the
 * stack or to the local runtime.
 */

import { defineSystem, routeGroupEnvVar } from '@coffee-es/aws-lambda';
import { type LocalRuntime, startLocalRuntime } from '@coffee-es/local';
import { afterAll, describe, expect, it } from 'vitest';
import { system } from '../../functions/app/system.ts';
import { dynamoEndpoint } from '../support/localStack.ts';
import { pingRoute } from './fixtures/pingRoute.ts';
import { functionId, referencedIds, resourcesOf, root, synthesize } from './synthesize.ts';

const extended = defineSystem({
  ...system,
  routes: [...system.routes, pingRoute],
  routeGroups: { ...system.routeGroups, ping: { entry: 'test/cdk/fixtures/pingRoute.ts' } },
});
const routeKey = `${pingRoute.method} ${pingRoute.path}`;

let runtime: LocalRuntime | undefined;
afterAll(async () => {
  await runtime?.stop();
});

describe('a route added to the declaration', () => {
  it('is not there before', () => {
    expect(system.routes.map((r) => `${r.method} ${r.path}`)).not.toContain(routeKey);
  });

  it('is deployed: an API Gateway route to a function of its own group', () => {
    const { json } = synthesize(extended);
    const routes = resourcesOf(json, 'AWS::ApiGatewayV2::Route').filter(
      ([, r]) => r.Properties.RouteKey === routeKey,
    );
    expect(routes).toHaveLength(1);
    const fnId = functionId(json, `${system.service} route group ping`);
    expect(json.Resources[fnId]?.Properties.Environment.Variables[routeGroupEnvVar]).toBe('ping');
    const integrationId = [...referencedIds(routes[0]?.[1].Properties.Target)][0] as string;
    expect(referencedIds(json.Resources[integrationId]?.Properties.IntegrationUri)).toEqual(
      new Set([fnId]),
    );
  });

  it('is served by the local runtime, through its group entry point', async () => {
    runtime = await startLocalRuntime({
      system: extended,
      root,
      port: 0,
      dynamoEndpoint: dynamoEndpoint(),
      accessKeyId: `declaredRoute${Math.random().toString(36).slice(2, 8)}`,
      logLevel: 'SILENT',
      workers: false,
    });
    const response = await fetch(`${runtime.url}/ping/barista`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pong: 'barista' });
  });
});
