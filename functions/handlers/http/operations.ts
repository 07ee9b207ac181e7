/** Written by `npm run generate` (scripts/generate/): the operations route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { deps, operationRoutes } from '../../app/routes/operations.ts';
import { routeTable } from '../../app/routeTable.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = operationRoutes();
export const handler = httpFunction({
  group: 'operations',
  routes,
  allRoutes: routeTable,
  deps,
});
