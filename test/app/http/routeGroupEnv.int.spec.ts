/**
 * On AWS each route group's function gets only the environment its declaration asks for (the
 * CDK constructs bind exactly the declared tables and queues). Every route must work with that
 * much: here each group's handler is loaded with exactly that environment and asked every route.
 */

import { resolve } from 'node:path';
import { type LambdaHttpHandler, startLocalHttpServer } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type App, startApp } from '../../support/appServer.ts';

const root = resolve(import.meta.dirname, '../../..');
let app: App;
const saved = { ...process.env };
beforeAll(async () => {
  app = await startApp('groupEnv', { workers: false });
});
afterAll(async () => {
  process.env = saved;
  await app?.stop();
});

/** What the group's function is given on AWS: its tables and queues, nothing else. */
function environmentOf(group: string): Record<string, string> {
  const declared = system.routeGroups[group as keyof typeof system.routeGroups];
  if (!declared) throw new Error(`no route group ${group}`);
  const runtime = app.runtime.environment;
  const env: Record<string, string> = {
    AWS_REGION: runtime.AWS_REGION as string,
    AWS_ACCESS_KEY_ID: runtime.AWS_ACCESS_KEY_ID as string,
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: app.runtime.dynamoEndpoint,
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ROUTE_GROUP: group,
  };
  for (const table of [...(declared.reads ?? []), ...(declared.writes ?? [])]) {
    const spec = system.tables[table];
    env[spec.envVar] = app.runtime.tableNames[table] as string;
  }
  return env;
}

const declaredVars = [
  ...Object.values(system.tables).map((t) => t.envVar),
  ...Object.values(system.queues).map((q) => q.envVar),
];

describe.each(Object.keys(system.routeGroups))('route group %s', (group) => {
  it('answers every one of its routes without a 5xx, given only its declared environment', async () => {
    const base = Object.fromEntries(
      Object.entries(saved).filter(([name]) => !declaredVars.includes(name)),
    );
    process.env = { ...base, ...environmentOf(group) };
    vi.resetModules();
    // The group's own entry, as its function bundles it: it must need nothing undeclared either.
    const entry = system.routeGroups[group as keyof typeof system.routeGroups]?.entry as string;
    const { handler } = (await import(resolve(root, entry))) as { handler: LambdaHttpHandler };
    const routes = system.routes.filter((r) => r.group === group);
    const server = await startLocalHttpServer({
      routes: routes.map((route) => ({ route, handler })),
      port: 0,
    });
    try {
      for (const route of routes) {
        const path = route.path.replaceAll(/\{\w+\}/g, 'x1');
        const response = await fetch(`${server.url}${path}`, {
          method: route.method,
          ...(route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        expect(response.status, `${route.method} ${route.path}`).toBeLessThan(500);
      }
    } finally {
      await server.close();
    }
  });
});
