/** The customers route group's function (declared in functions/app/system.ts): its routes only. */
import { customers } from '../../app/deps/customers.ts';
import { readModels } from '../../app/deps/readModels.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { customerRoutes } from '../../app/routes/customers.ts';

/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = customerRoutes;
export const handler = httpFunction({
  group: 'customers',
  routes,
  deps: { customers, readModels },
});
