/**
 * The operations route group's function (declared in functions/app/system.ts): health,
 * projections, the OpenAPI document; and the API's `$default` route, which brings every request
 * no route matches. For those it answers 405 on a known path and 404 otherwise from the route
 * table (method and path of every route, built from the declaration), not from the routes
 * themselves: their handlers and schemas stay in their own groups' bundles.
 */
import { readModels } from '../../app/deps/readModels.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { operationRoutes } from '../../app/routes/operations.ts';
import { routeTable } from '../../app/routeTable.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = operationRoutes();
export const handler = httpFunction({
  group: 'operations',
  routes,
  allRoutes: routeTable,
  deps: { readModels },
});
