/**
 * The Lambda handler of one route group, made from that group's routes alone: each entry in
 * functions/handlers/http/ imports only its own route module, so that its bundle carries no other
 * group's handlers, schemas or domain code, and composes only the dependencies its routes use
 * (every group bundled every route and dependency once: 152.8 KB).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHttpHandler, type Route } from '@coffee-es/aws-lambda';
import { loadConfig } from './config.ts';
import { type DepMakers, depsOf } from './deps/compose.ts';
import type { AppDeps } from './deps.ts';
import { serviceName } from './service.ts';

export interface HttpFunctionOptions {
  /** The group served, as the routes and functions/app/system.ts name it; none: every route. */
  readonly group?: string;
  readonly routes: readonly Route<AppDeps>[];
  /** Method and path of every route of the API, for the 404 or 405 of a path served elsewhere. */
  readonly allRoutes?: readonly Pick<Route, 'method' | 'path'>[];
  /** The makers of what the routes use (functions/app/deps/; `everyDep` for all of them). */
  readonly deps: DepMakers;
}

/** A route group's handler; a route of another group among `routes` fails at cold start. */
export function httpFunction(options: HttpFunctionOptions) {
  const { group, routes } = options;
  const stray = routes.filter((route) => group !== undefined && route.group !== group);
  if (stray.length > 0) {
    const keys = stray.map((route) => `${route.method} ${route.path} (${route.group})`);
    throw new TypeError(`Route group ${group} given routes of other groups: ${keys.join(', ')}`);
  }
  const config = loadConfig();
  const logger = new Logger({
    serviceName,
    logLevel: config.LOG_LEVEL,
    ...(group === undefined ? {} : { persistentKeys: { routeGroup: group } }),
  });
  return createHttpHandler({
    routes,
    ...(options.allRoutes === undefined ? {} : { allRoutes: options.allRoutes }),
    deps: () => depsOf(config, options.deps),
    logger,
    requireToken: config.REQUIRE_TOKEN,
  });
}
