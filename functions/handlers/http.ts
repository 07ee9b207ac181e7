/**
 * The Lambda entry point of every route group: API Gateway (HTTP API, payload 2.0) events in,
 * responses out. `ROUTE_GROUP` picks the group's routes; unset (locally) it serves them all.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHttpHandler, routesOfGroup } from '@coffee-es/aws-lambda';
import { loadConfig } from '../app/config.ts';
import { createDeps } from '../app/deps.ts';
import { system } from '../app/system.ts';

const config = loadConfig();
const logger = new Logger({
  serviceName: system.service,
  logLevel: config.LOG_LEVEL,
  ...(config.ROUTE_GROUP ? { persistentKeys: { routeGroup: config.ROUTE_GROUP } } : {}),
});

export const handler = createHttpHandler({
  routes: routesOfGroup(system, config.ROUTE_GROUP),
  // The operations group also serves the API's `$default` route: 404 or 405 for the rest.
  allRoutes: system.routes,
  deps: () => createDeps(config),
  logger,
  requireToken: config.REQUIRE_TOKEN,
});
