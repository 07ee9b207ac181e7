/** Written by `npm run generate` (scripts/generate/): the orders route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { deps, orderRoutes } from '../../app/routes/orders.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = orderRoutes;
export const handler = httpFunction({
  group: 'orders',
  routes,
  deps,
});
