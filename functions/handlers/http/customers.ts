/** Written by `npm run generate` (scripts/generate/): the customers route group's function, its routes only. Do not edit. */
import { httpFunction } from '../../app/httpFunction.ts';
import { customerRoutes, deps } from '../../app/routes/customers.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = customerRoutes;
export const handler = httpFunction({
  group: 'customers',
  routes,
  deps,
});
