/**
 * Each route group's function has its own entry (functions/handlers/http/<group>.ts) importing
 * only its group's routes. The declaration (functions/app/system.ts) stays the one source: each
 * entry serves exactly the routes it gives the group, and the operations entry, which serves the
 * API's `$default` route, answers 404 or 405 for any path from a route table written from them.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defaultRouteKey, type HttpEvent, type Route, routeKeyOf } from '@coffee-es/aws-lambda';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/app/config.ts';
import { depsOf } from '../../functions/app/deps/compose.ts';
import { known } from '../../functions/app/deps/known.ts';
import { readModels } from '../../functions/app/deps/readModels.ts';
import { httpFunction } from '../../functions/app/httpFunction.ts';
import { branchRoutes } from '../../functions/app/routes/branches.ts';
import { routeTableFile, routeTableText } from '../../functions/app/routeTableText.ts';
import { system } from '../../functions/app/system.ts';

const root = resolve(import.meta.dirname, '../..');
const groups = Object.keys(system.routeGroups);
const entryOf = (group: string) => system.routeGroups[group]?.entry as string;

interface Entry {
  readonly routes: readonly Route[];
  readonly handler: (event: HttpEvent, context: Context) => Promise<unknown>;
}

const entries = new Map<string, Entry>();
beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT';
  for (const group of groups) {
    entries.set(group, await import(resolve(root, entryOf(group))));
  }
});

const keysOf = (routes: readonly Pick<Route, 'method' | 'path'>[]) =>
  routes.map((route) => routeKeyOf(route)).sort();

describe.each(groups)('the entry of route group %s', (group) => {
  it('is its own module, serving exactly the routes the declaration gives the group', () => {
    const others = groups.filter((g) => g !== group).map(entryOf);
    expect(others).not.toContain(entryOf(group));
    const declared = system.routes.filter((route) => route.group === group);
    expect(declared.length).toBeGreaterThan(0);
    expect(keysOf(entries.get(group)?.routes ?? [])).toEqual(keysOf(declared));
  });
});

describe('a route group handler', () => {
  it('refuses at cold start routes of another group', () => {
    expect(() => httpFunction({ group: 'orders', routes: branchRoutes, deps: {} })).toThrow(
      /Route group orders given routes of other groups: PUT \/branches\/\{branchId\} \(branches\)/,
    );
  });
});

describe("a function's dependencies", () => {
  const config = loadConfig({ JOURNAL_TABLE: 'j', READ_MODEL_TABLE: 'r', LOG_LEVEL: 'SILENT' });

  it('are those it was given, each made once; one it lacks fails on use, naming itself', () => {
    let made = 0;
    const deps = depsOf(config, {
      readModels: (context, all) => {
        made++;
        return readModels(context, all);
      },
    });
    expect(deps.readModels).toBe(deps.readModels);
    expect(made).toBe(1);
    expect(() => deps.stores).toThrow('This function was not given the dependency stores');
    expect(() => deps.known).toThrow('This function was not given the dependency known');
  });

  it('let a maker use the others (known entities ask the branch store)', () => {
    const deps = depsOf(config, { known });
    expect(deps.known).toBeDefined();
    return expect(deps.known.branch('lisbon-1')).rejects.toThrow(
      'This function was not given the dependency branches',
    );
  });
});

describe('functions/app/routeTable.ts', () => {
  it('is up to date with the routes (run `npm run generate` after changing one)', async () => {
    expect(await readFile(routeTableFile, 'utf8')).toBe(routeTableText(system.routes));
  });
});

function event(method: string, rawPath: string): HttpEvent {
  return {
    version: '2.0',
    routeKey: defaultRouteKey,
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
      routeKey: defaultRouteKey,
      stage: '$default',
      time: '01/Dec/2026:08:00:00 +0000',
      timeEpoch: 0,
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 's',
      },
    },
  };
}

describe('the $default route, on the operations function', () => {
  const context = { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 3000 } as Context;
  const call = async (method: string, path: string) => {
    const answer = (await entries.get('operations')?.handler(event(method, path), context)) as {
      statusCode: number;
      body: string;
    };
    return { status: answer.statusCode, code: JSON.parse(answer.body).code as string };
  };

  it('serves $default, from the operations group', () => {
    expect(system.defaultRouteGroup).toBe('operations');
  });

  it('answers 405 on every declared path of every group with a method it lacks', async () => {
    for (const route of system.routes) {
      const path = route.path.replaceAll(/\{\w+\}/g, 'x1');
      const methods = system.routes.filter((r) => r.path === route.path).map((r) => r.method);
      const other = (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const).find(
        (m) => !methods.includes(m as never),
      ) as string;
      expect(await call(other, path), `${other} ${route.path}`).toEqual({
        status: 405,
        code: 'method-not-allowed',
      });
    }
  });

  it('answers 404 for paths no route declares', async () => {
    for (const path of ['/nothing', '/orders', '/orders/o-1/payment/extra', '/branches//sales']) {
      expect(await call('GET', path), path).toEqual({ status: 404, code: 'not-found' });
    }
  });
});
